# Test harness for gen-ota device code on the MicroPython unix port (1.13 to 1.25).
#
# Usage:
#   micropython -X heapsize=N harness.py IMAGE FS CUT COMMAND [ARGS...] [-- COMMAND [ARGS...]]...
#
#   IMAGE  host file holding the device's flash; it must already exist with its final size
#          (the Node side creates it, zero-filled). Block count = file size / block size.
#   FS     fat (vfs.VfsFat, 512-byte blocks) or lfs2 (vfs.VfsLfs2, 4096-byte blocks);
#          FS:SIZE picks another block size, e.g. fat:4096 as on ESP32/ESP8266 flash
#   CUT    power cut: -1 never; K >= 0 cuts the power once K block writes have reached the
#          image. The K-th write IS performed; the process ends inside it, right after it.
#          K = 0 cuts at the first write attempt, which is dropped. Writes are counted over
#          the whole invocation; one writeblocks call is one write (FAT may pass several
#          sectors in one call, littlefs a part of a block at an offset); erase is a no-op.
#
# Commands (run in order; `--` separates them):
#   format             mkfs the image with FS, then mount it
#   put HOST DEV       copy host file HOST (absolute path) to DEV on the image, streamed
#   ls                 HARNESS DIR <path> / HARNESS FILE <path> <size> <sha256>, sorted, recursive
#   cat DEV            HARNESS CAT <hex of the content>
#   run SNIPPET        exec SNIPPET (in a fresh __main__-like namespace)
#   boot               import main (as a power-on boot would run main.py)
#   mem                HARNESS MEM <gc.mem_free> <gc.mem_alloc> <micropython.mem_peak>
#
# put, ls and cat live in harness_tools.py, imported only when used, so that the heap that
# run and boot leave to device code is not taken by the harness's own bytecode.
# The image is mounted at / in place of the host's VfsPosix root, sys.path is ['', '/lib'],
# and the cwd is /. Harness lines start with "HARNESS "; device code prints pass through.
# Always printed last: HARNESS WRITES <n>, the number of block writes performed.
# Exit codes: 0 done; 1 an exception (HARNESS EXC <type> <message>, traceback on stderr);
# 75 power cut (HARNESS POWERCUT <K> printed at the cut); sys.exit(n) in device code:
# HARNESS EXIT <n> and exit code n. Nothing runs after the first of these.
import sys
import os
try:
    import vfs  # 1.23 and later
except ImportError:
    import uos as vfs  # 1.13 to 1.22: the mount API lives in uos
import gc

CUT_EXIT = 75


class FileBlockDev:
    """Block device whose blocks live in a host file; reads and writes use the VFS's buffers."""

    def __init__(self, f, block_size, cut):
        self.f = f
        self.bs = block_size
        f.seek(0, 2)
        self.count = f.tell() // block_size
        self.cut = cut
        self.writes = 0
        self.dead = False

    def readblocks(self, n, buf, off=0):
        self.f.seek(n * self.bs + off)
        self.f.readinto(buf)

    def writeblocks(self, n, buf, off=0):
        if self.dead or self.cut == 0:
            self.power_off()  # the write is dropped
        self.f.seek(n * self.bs + off)
        self.f.write(buf)
        self.writes += 1
        if self.writes == self.cut:
            self.power_off()

    def power_off(self):
        # Every later write is dropped: each one raises again, so nothing can reach the image.
        if not self.dead:
            self.dead = True
            print('HARNESS POWERCUT', self.cut)
        raise SystemExit(CUT_EXIT)

    def ioctl(self, op, arg):
        if op == 4:
            return self.count
        if op == 5:
            return self.bs
        return 0  # 1 init, 2 deinit, 3 sync (writes are unbuffered), 6 erase (no-op)


def mount(dev, fs):
    vfs.mount(fs(dev), '/')
    os.chdir('/')


def command(dev, fs, args, tools):
    name = args[0]
    if name == 'run' or name == 'boot':
        gc.collect()  # device code starts on a clean heap, as after a reset
        if name == 'run':
            exec(args[1], {'__name__': '__main__'})
        else:
            import main
    elif name == 'format':
        try:
            vfs.umount('/')
        except OSError:
            pass
        fs.mkfs(dev)
        mount(dev, fs)
    elif name == 'mem':
        import micropython
        gc.collect()
        print('HARNESS MEM', gc.mem_free(), gc.mem_alloc(), micropython.mem_peak())
    elif name == 'put':
        tools.put(args[1], args[2])
    elif name == 'ls':
        tools.ls()
    elif name == 'cat':
        tools.cat(args[1])
    else:
        raise ValueError('unknown harness command ' + name)


def split_commands(argv):
    cmds = [[]]
    for a in argv:
        if a == '--':
            cmds.append([])
        else:
            cmds[-1].append(a)
    return [c for c in cmds if c]


def load_tools(cmds):
    """Imports harness_tools from beside this file if a command needs it (before the swap)."""
    for args in cmds:
        if args[0] in ('put', 'ls', 'cat'):
            me = sys.argv[0]
            sys.path.insert(0, me[:me.rfind('/')] if '/' in me else '.')
            import harness_tools
            return harness_tools
    return None


def main():
    image, fs_name, cut = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cmds = split_commands(sys.argv[4:])
    fs_name, _, bs = fs_name.partition(':')
    if fs_name == 'fat':
        fs, bs = vfs.VfsFat, int(bs or 512)
    elif fs_name == 'lfs2':
        fs, bs = vfs.VfsLfs2, int(bs or 4096)
    else:
        raise ValueError('fs must be fat or lfs2')
    tools = load_tools(cmds)
    # Open the image while the host filesystem is still mounted, then swap the root.
    dev = FileBlockDev(open(image, 'r+b'), bs, cut)
    vfs.umount('/')
    sys.path[:] = ['', '/lib']
    code = 0
    try:
        if cmds and cmds[0][0] != 'format':
            mount(dev, fs)
        for args in cmds:
            command(dev, fs, args, tools)
            if dev.dead:
                break
    except SystemExit as e:
        if not dev.dead:
            v = e.args[0] if e.args else None
            code = v if isinstance(v, int) else (0 if v is None else 1)
            print('HARNESS EXIT', code)
    except Exception as e:
        if not dev.dead:
            print('HARNESS EXC', type(e).__name__, str(e).replace('\n', '\\n'))
            sys.print_exception(e, sys.stderr)
            code = 1
    if dev.dead:
        code = CUT_EXIT
    print('HARNESS WRITES', dev.writes)
    sys.exit(code)


main()
