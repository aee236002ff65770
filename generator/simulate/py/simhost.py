# The simulator's side of sim_board.py on the unix port (on the embedded runtime, JavaScript
# registers a module of this name): heap samples, taken after a collection, and events as
# harness lines.
import gc

peak = 0


def sample(allocated=0):
    global peak
    gc.collect()
    used = gc.mem_alloc()
    if used > peak:
        peak = used


def event(name):
    print("HARNESS EVENT", name)


def tick():
    pass  # the unix runtime ends a boot that overruns by ending its process
