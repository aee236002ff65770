# Inspection and setup commands of board.py (put, ls, cat). Kept out of board.py so that
# `run`, `boot` and `update`, which measure device code under the board's heap, do not carry
# their bytecode: board.py imports this module only when a command needs it.
import sys
import os
try:
    import vfs  # 1.23 and later
except ImportError:
    import uos as vfs  # 1.13 to 1.22: the mount API lives in uos
import hashlib
import binascii


def makedirs(path):
    """Creates every missing directory of absolute device path `path`."""
    at = ''
    for part in path.split('/')[1:]:
        at += '/' + part
        try:
            os.mkdir(at)
        except OSError:
            pass  # exists


def put(host, dest):
    """Copies host file `host` (absolute path) to `dest` on the image, creating its parent
    directories, 512 bytes at a time."""
    makedirs(dest[:dest.rfind('/')])
    vfs.mount(vfs.VfsPosix(), '/host')
    try:
        buf = bytearray(512)
        mv = memoryview(buf)
        with open('/host' + host, 'rb') as src:
            with open(dest, 'wb') as dst:
                while True:
                    n = src.readinto(buf)
                    if not n:
                        break
                    dst.write(mv[:n])
    finally:
        vfs.umount('/host')


def digest(path):
    """Returns (size, sha256 hex) of a file on the image, read in chunks."""
    h = hashlib.sha256()
    buf = bytearray(256)
    mv = memoryview(buf)
    size = 0
    with open(path, 'rb') as f:
        while True:
            n = f.readinto(buf)
            if not n:
                break
            h.update(mv[:n])
            size += n
    return size, binascii.hexlify(h.digest()).decode()


def ls(path='/'):
    """Prints HARNESS DIR / HARNESS FILE lines for everything under `path`, sorted, depth first
    (nothing if `path` is not a directory)."""
    try:
        entries = sorted((e[0], e[1]) for e in os.ilistdir(path))
    except OSError:
        return
    for name, kind in entries:
        full = path.rstrip('/') + '/' + name
        if kind == 0x4000:
            print('HARNESS DIR', full)
            ls(full)
        else:
            size, hexdigest = digest(full)
            print('HARNESS FILE', full, size, hexdigest)


def cat(path):
    """Prints HARNESS CAT <path> <hex of the file's content> as one line, streamed, or
    HARNESS NOCAT <path> <errno> if it cannot be opened."""
    buf = bytearray(256)
    mv = memoryview(buf)
    try:
        f = open(path, 'rb')
    except OSError as e:
        print('HARNESS NOCAT', path, e.args[0] if e.args else 0)
        return
    sys.stdout.write('HARNESS CAT ' + path + ' ')
    with f:
        while True:
            n = f.readinto(buf)
            if not n:
                break
            sys.stdout.write(binascii.hexlify(mv[:n]))
    sys.stdout.write('\n')
