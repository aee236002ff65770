# Stands in for the firmware's network module: Wi-Fi that is always connected.
STA_IF = 0


class WLAN:
    def __init__(self, interface):
        pass

    def active(self, on=None):
        return True

    def isconnected(self):
        return True

    def connect(self, ssid, password):
        pass
