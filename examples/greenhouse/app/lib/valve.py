# The irrigation valve on GPIO 15 and a capacitive moisture probe on ADC 0.
def read_moisture():
    try:
        import machine

        return machine.ADC(0).read_u16() / 65535
    except (ImportError, AttributeError, ValueError):
        return 0.5


def open_for(seconds):
    try:
        import machine
        import time

        pin = machine.Pin(15, machine.Pin.OUT)
        pin.value(1)
        time.sleep(seconds)
        pin.value(0)
    except ImportError:
        pass
