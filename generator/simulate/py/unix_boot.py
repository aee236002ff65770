# One boot of gen-ota's simulated board on the MicroPython unix port, kept small: it shares the
# board's heap budget with the device code.
#
#   micropython -X heapsize=BUDGET unix_boot.py IMAGE FS:BLOCKSIZE CUT boot|update
#
# IMAGE is the flash (littlefs2 `lfs2` or `fat`), mounted at / through a block device that
# counts writes; CUT >= 0 ends the process (exit 75) once that many block writes reached the
# image (the last one lands; 0 drops the first), -1 never. Prints HARNESS EVENT/EXC lines, then
# HARNESS PEAK <live heap after a collection, highest seen> and HARNESS WRITES <n>.
import sys
import vfs

sys.path.insert(0, __file__[: __file__.rfind("/")] if "/" in __file__ else ".")
import simhost  # noqa: E402
import sim_board  # noqa: E402
from flash_dev import FileBlockDev  # noqa: E402

sys.modules["machine"] = sys.modules["network"] = sim_board

_fs, _, _bs = sys.argv[2].partition(":")
dev = FileBlockDev(open(sys.argv[1], "r+b"), int(_bs), int(sys.argv[3]), simhost.sample)
vfs.umount("/")
vfs.mount((vfs.VfsFat if _fs == "fat" else vfs.VfsLfs2)(dev), "/")
sys.path.clear()
sys.path.extend(("", "/lib"))
code = 0
try:
    simhost.sample()
    if sys.argv[4] == "boot":
        import main  # noqa: F401
    else:
        import ota

        ota.update()
except SystemExit as e:
    code = e.args[0] if e.args and isinstance(e.args[0], int) else 0
except BaseException as e:
    if not dev.dead:
        print("HARNESS EXC", type(e).__name__, str(e).replace("\n", " "))
        sys.print_exception(e, sys.stderr)
        code = 1
if dev.dead:
    code = 75
print("HARNESS PEAK", simhost.peak)
print("HARNESS WRITES", dev.writes)
sys.exit(code)
