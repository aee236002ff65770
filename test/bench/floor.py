# floor.py: the least any updater must do, measured by gen-ota's benchmark as the heap floor.
# One socket, one chunk read into a preallocated buffer, hashed, written to a file; nothing else.
import socket
import hashlib


def run(host, port, path, chunk):
    buf = bytearray(chunk)
    sock = socket.socket()
    sock.connect(socket.getaddrinfo(host, port)[0][-1])
    sock.write(b"GET " + path + b" HTTP/1.0\r\nUser-Agent: floor\r\n\r\n")
    count = sock.readinto(buf)
    sock.close()
    digest = hashlib.sha256()
    digest.update(buf)
    with open("/floor.bin", "wb") as f:
        f.write(buf)
    return count
