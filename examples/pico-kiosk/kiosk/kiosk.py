# The app: show the exhibit's pages, and keep this version once the first page is on screen.
import ota
from lib import screen

PAGES = ("welcome", "history", "map")

screen.show(PAGES[0])
ota.confirm()  # the first page is on screen: keep this version
for page in PAGES[1:]:
    screen.show(page)
