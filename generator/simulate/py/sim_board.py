# The board around the device code in gen-ota's simulator, as small as it can be (it shares the
# heap budget): the loader registers it as both `machine` and `network`; it installs the print
# hook that samples the heap and ends a boot once the app has confirmed itself. `simhost` is the
# simulator's side (JavaScript on the embedded runtime, the harness on the unix port).
import gc
import builtins
import simhost

STA_IF = 0


def reset():
    simhost.event("reset")
    raise SystemExit(0)


class Timer:
    # main.py's trial guard arms one; the simulator's own boot deadline stands in for it
    PERIODIC = 1

    def __init__(self, id=-1):
        pass

    def init(self, period=0, mode=0, callback=None):
        pass

    def deinit(self):
        pass


class WDT:
    def __init__(self, timeout=0):
        pass

    def feed(self):
        pass


class WLAN:
    def __init__(self, interface=0):
        pass

    def active(self, on=None):
        return True

    def isconnected(self):
        return True

    def connect(self, ssid=None, password=None):
        pass


_print = builtins.print


def _hooked_print(*args, **kwargs):
    simhost.sample(gc.mem_alloc())
    _print(*args, **kwargs)
    a = args[0] if args else None
    if isinstance(a, str) and a.startswith("ota: ") and a.endswith(" confirmed"):
        simhost.event("confirmed")
        raise SystemExit(0)  # the app has kept its version: the simulated boot ends here


builtins.print = _hooked_print


def install_clock():
    # time with sleeps that call out to the simulator in slices, so that it can end a boot that
    # never confirms (the embedded runtime runs Python on the simulator's own thread and calls
    # this; the unix runtime ends an overrunning process instead)
    import sys

    try:
        import utime as real
    except ImportError:
        import time as real

    def sliced(per_ms):
        def slept(amount):
            left = amount * per_ms
            while left > 0:
                simhost.tick()
                step = min(left, 100)
                real.sleep_ms(int(step))
                left -= step
            simhost.tick()

        return slept

    clock = type("time", (), {name: getattr(real, name) for name in dir(real) if not name.startswith("__")})
    clock.sleep = sliced(1000)
    clock.sleep_ms = sliced(1)
    sys.modules["time"] = sys.modules["utime"] = clock
