# The app: one soak cycle, and keep this version once a cycle completes.
import ota

CYCLES = 3


def cycle(number):
    return sum(range(number * 1000))


for number in range(CYCLES):
    cycle(number)
ota.confirm()  # a full soak ran on this version: keep it
