# Recording stand-ins for the trial tests: `import sim_timer` before main, then sim_timer.fire()
# runs each armed timer's callback, as the firmware does when a period ends.
import sim_machine

armed = []


class Timer:
    PERIODIC = 1

    def __init__(self, id):
        self.id = id

    def init(self, period, mode, callback):
        print("SIM TIMER %d every %d ms" % (self.id, period))
        armed.append((self, callback))

    def deinit(self):
        print("SIM TIMER OFF")
        armed[:] = [entry for entry in armed if entry[0] is not self]


class WDT:
    def __init__(self, timeout):
        print("SIM WDT %d ms" % timeout)

    def feed(self):
        pass


def fire():
    # what the firmware does when a period ends: each armed timer's callback, once
    for timer, callback in list(armed):
        callback(timer)


sim_machine.Timer = Timer
sim_machine.WDT = WDT
