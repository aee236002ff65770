# The app: read the sensor, report it, and tell the updater this version works.
import ota
import sensor

reading = sensor.read_celsius()
print("temperature: %.1f C" % reading)
ota.confirm()  # this version boots and reads its sensor: keep it
