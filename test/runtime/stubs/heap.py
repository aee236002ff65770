# Stand-in device code for the heap test: reports the free heap, then does a little real work
# (write, read back and hash a file) inside it.
import gc
import hashlib

gc.collect()
print('FREE', gc.mem_free())
with open('/heap.txt', 'w') as f:
    for i in range(20):
        f.write('line %d\n' % i)
h = hashlib.sha256()
with open('/heap.txt', 'rb') as f:
    h.update(f.read())
gc.collect()
print('WORKED', len(h.digest()), gc.mem_free())
