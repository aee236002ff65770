# The app: keep the soil moist, and confirm this version once a watering cycle ran.
import ota
from lib import valve

MOISTURE_LOW = 0.35


def cycle(moisture):
    if moisture < MOISTURE_LOW:
        valve.open_for(seconds=5)
    return moisture


cycle(valve.read_moisture())
ota.confirm()  # a full cycle ran on this version: keep it
