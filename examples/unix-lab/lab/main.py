# The app: run the bench check, keep this version, then update when the operator asks.
import sys

import ota
import bench

if bench.self_test():
    ota.confirm()  # this version passes its own check: keep it

if "--update" in sys.argv:
    staged = ota.update()  # the pinned 1.4.2, or the latest stable if that release is gone
    if staged is not None:
        print("%s staged: restart the rig to run it" % staged)
