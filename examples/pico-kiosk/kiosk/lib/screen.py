# A stand-in for the kiosk's display driver.
def show(page):
    print("showing", page)
