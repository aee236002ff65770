# Stands in for the firmware's machine module: a reset that ends the process (the next run is
# the next boot), and Timer and WDT only as far as main.py's trial guard (ota_trial) needs them.


def reset():
    print("SIM RESET")
    raise SystemExit(0)


class Timer:
    PERIODIC = 1

    def __init__(self, *a, **k):
        pass

    init = deinit = feed = __init__


WDT = Timer
