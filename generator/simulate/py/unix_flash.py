# Lays out and reads the flash image of gen-ota's simulated board on the MicroPython unix port.
#
#   micropython unix_flash.py IMAGE FS:BLOCKSIZE format|ls DIR|cat FILE|put HOST DEV [-- COMMAND...]
#
# format makes the filesystem (fat or lfs2); put copies host file HOST to DEV, creating its
# directories; ls prints HARNESS FILE <path> <sha256> for every file below DIR and
# HARNESS VERSION <DIR/.version>; cat FILE prints HARNESS CAT <its text on one line> if it
# exists. Boots run in unix_boot.py.
import sys
import os
import vfs
from flash_dev import FileBlockDev


def put(host, dest):
    at = ""
    for part in dest.split("/")[1:-1]:
        at += "/" + part
        try:
            os.mkdir(at)
        except OSError:
            pass
    vfs.mount(vfs.VfsPosix(), "/host")
    try:
        buf = bytearray(512)
        mv = memoryview(buf)
        with open("/host" + host, "rb") as src:
            with open(dest, "wb") as dst:
                while True:
                    n = src.readinto(buf)
                    if not n:
                        break
                    dst.write(mv[:n])
    finally:
        vfs.umount("/host")


def ls(path):
    import hashlib
    import binascii

    try:
        entries = sorted((e[0], e[1]) for e in os.ilistdir(path))
    except OSError:
        return
    for name, kind in entries:
        full = path.rstrip("/") + "/" + name
        if kind == 0x4000:
            ls(full)
            continue
        h = hashlib.sha256()
        buf = bytearray(256)
        with open(full, "rb") as f:
            while True:
                n = f.readinto(buf)
                if not n:
                    break
                h.update(memoryview(buf)[:n])
        print("HARNESS FILE", full, binascii.hexlify(h.digest()).decode())


def main():
    fs_name, _, bs = sys.argv[2].partition(":")
    fs = vfs.VfsFat if fs_name == "fat" else vfs.VfsLfs2
    dev = FileBlockDev(open(sys.argv[1], "r+b"), int(bs))
    vfs.umount("/")
    cmds = [[]]
    for a in sys.argv[3:]:
        if a == "--":
            cmds.append([])
        else:
            cmds[-1].append(a)
    if cmds[0] and cmds[0][0] == "format":
        fs.mkfs(dev)
    vfs.mount(fs(dev), "/")
    os.chdir("/")
    for args in cmds:
        if args[0] == "put":
            put(args[1], args[2])
        elif args[0] == "ls":
            ls(args[1])
            try:
                with open(args[1] + "/.version") as f:
                    print("HARNESS VERSION", f.read(64).strip())
            except OSError:
                pass
        elif args[0] == "cat":
            try:
                with open(args[1]) as f:
                    print("HARNESS CAT", f.read().replace("\n", " "))
            except (OSError, ValueError):  # ValueError: a slot cut short may not be UTF-8
                pass
    vfs.umount("/")


main()
