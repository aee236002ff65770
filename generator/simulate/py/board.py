# gen-ota's simulated board on the MicroPython unix port (1.13 to 1.25): the one program that
# the simulator, the runtime tests and the bench run. Each process is one power-on of the board.
#
#   micropython -X heapsize=N board.py IMAGE FS CUT COMMAND [ARGS...] [-- COMMAND [ARGS...]]...
#
#   IMAGE  host file holding the board's flash, already at its final size (block count = file
#          size / block size).
#   FS     fat (VfsFat, 512-byte blocks) or lfs2 (VfsLfs2, 4096-byte blocks); FS:SIZE picks
#          another block size, e.g. fat:4096 as on ESP32/ESP8266 flash.
#   CUT    power cut: -1 never; K >= 0 cuts the power once K block writes have reached the
#          image. The K-th write IS performed; the process ends inside it, right after it.
#          K = 0 cuts at the first write attempt, which is dropped. Writes are counted over the
#          whole invocation; one writeblocks call is one write; erase is a no-op.
#
# Commands (run in order; `--` separates them):
#   format             mkfs the image with FS, then mount it
#   put HOST DEV       copy host file HOST (absolute path) to DEV on the image, streamed
#   ls [DIR]           HARNESS DIR <path> / HARNESS FILE <path> <size> <sha256>, sorted, recursive
#   cat DEV            HARNESS CAT <DEV> <hex of the content>, or HARNESS NOCAT <DEV> <errno>
#   sim                the simulator's board: sim_board as `machine` and `network`, the heap
#                      sampled at every print and block write, HARNESS PEAK <bytes> at the end
#   run SNIPPET        exec SNIPPET (in a fresh __main__-like namespace)
#   boot               import main (as a power-on runs main.py)
#   update             import ota; ota.update()
#   mem                HARNESS MEM <gc.mem_free> <gc.mem_alloc> <micropython.mem_peak>
#
# put, ls and cat live in board_tools.py, imported only when used, so that the heap that run,
# boot and update leave to device code is not taken by this program's own bytecode. The image
# is mounted at / in place of the host's root, sys.path is ['', '.frozen', '/lib'] (['', '/lib'] on
# a port without frozen modules, as on firmware before 1.20), and the cwd is /.
# Lines of this program start with "HARNESS "; device code prints pass through. Always printed
# last: HARNESS WRITES <n>, the number of block writes performed. Exit codes: 0 done; 1 an
# exception (HARNESS EXC <type> <message>, traceback on stderr); 75 power cut (HARNESS
# POWERCUT <K> printed at the cut); sys.exit(n) in device code: HARNESS EXIT <n> and code n.
import sys
import gc

try:
    import vfs  # 1.23 and later
except ImportError:
    import uos as vfs  # 1.13 to 1.22: the mount API lives in uos
import os

_here = sys.argv[0][: sys.argv[0].rfind("/")] if "/" in sys.argv[0] else "."
sys.path.insert(0, _here)
from flash_dev import FileBlockDev, POWER_CUT  # noqa: E402


def mount(dev, fs):
    vfs.mount(fs(dev), "/")
    os.chdir("/")


def run_command(dev, fs, args, tools):
    name = args[0]
    if name in ("run", "boot", "update"):
        gc.collect()  # device code starts on a clean heap, as after a reset
        if name == "run":
            exec(args[1], {"__name__": "__main__"})
        elif name == "boot":
            import main  # noqa: F401
        else:
            __import__("ota").update()
    elif name == "format":
        try:
            vfs.umount("/")
        except OSError:
            pass
        fs.mkfs(dev)
        mount(dev, fs)
    elif name == "mem":
        import micropython

        gc.collect()
        print("HARNESS MEM", gc.mem_free(), gc.mem_alloc(), micropython.mem_peak())
    elif name == "sim":
        pass  # set up in main(), before the root is swapped
    elif name in ("put", "ls", "cat"):
        getattr(tools, name)(*args[1:])
    else:
        raise ValueError("unknown board command " + name)


def split_commands(argv):
    commands = [[]]
    for arg in argv:
        if arg == "--":
            commands.append([])
        else:
            commands[-1].append(arg)
    return [c for c in commands if c]


def wanted(commands, names):
    return any(c[0] in names for c in commands)


def main():
    image, fs_name, cut = sys.argv[1], sys.argv[2], int(sys.argv[3])
    commands = split_commands(sys.argv[4:])
    fs_name, _, block_size = fs_name.partition(":")
    if fs_name == "fat":
        fs, block_size = vfs.VfsFat, int(block_size or 512)
    elif fs_name == "lfs2":
        fs, block_size = vfs.VfsLfs2, int(block_size or 4096)
    else:
        raise ValueError("fs must be fat or lfs2")
    # everything from beside this file is imported while the host's root is still mounted
    tools = __import__("board_tools") if wanted(commands, ("put", "ls", "cat")) else None
    host = None
    if wanted(commands, ("sim",)):
        host = __import__("simhost")
        sys.modules["machine"] = sys.modules["network"] = __import__("sim_board")
    dev = FileBlockDev(open(image, "r+b"), block_size, cut, host.sample if host else None)
    vfs.umount("/")
    # the firmware's own order: frozen modules (1.20 and later: ".frozen") before /lib
    sys.path[:] = ["", ".frozen", "/lib"] if ".frozen" in sys.path else ["", "/lib"]
    code = 0
    try:
        if commands and commands[0][0] != "format":
            mount(dev, fs)
        if host:
            host.sample()
        for args in commands:
            run_command(dev, fs, args, tools)
            if dev.dead:
                break
    except SystemExit as e:
        if not dev.dead:
            value = e.args[0] if e.args else None
            code = value if isinstance(value, int) else (0 if value is None else 1)
            print("HARNESS EXIT", code)
    except BaseException as e:  # noqa: B036 - a KeyboardInterrupt from device code is reported too
        if not dev.dead:
            print("HARNESS EXC", type(e).__name__, str(e).replace("\n", "\\n"))
            sys.print_exception(e, sys.stderr)
            code = 1
    if dev.dead:
        code = POWER_CUT
    if host:
        print("HARNESS PEAK", host.peak)
    print("HARNESS WRITES", dev.writes)
    sys.exit(code)


main()
