# baseline.py: a deliberately plain updater, written for gen-ota's benchmark only.
#
# It works the way the seed (micropython-ota-updater) does: it asks the GitHub REST API for the
# latest release (tag_name) and, per directory, for the file list (contents?ref=tag); it parses
# each JSON response whole, downloads each file whole into RAM over HTTP/1.0 (as urequests
# does) and writes it to /next, then renames /next over the app directory. Every file is
# downloaded on every update. It is kept fair: bytes are written as bytes (the seed decodes
# to str first, which doubles each file), and no work is done twice.
# The benchmark fills in API (the server's /repos/owner/name) and MAIN_DIR (appDir without "/").
import os
import json
import socket

API = "@API@"
MAIN_DIR = "@DIR@"


def _get(url):
    """The whole body of url, in RAM: HTTP/1.0, headers skipped, the rest read at once."""
    host, path = url.split("://", 1)[1].split("/", 1)
    host, port = host.split(":") if ":" in host else (host, 80)
    sock = socket.socket()
    try:
        sock.connect(socket.getaddrinfo(host, int(port))[0][-1])
        sock.write("GET /%s HTTP/1.0\r\nHost: %s\r\nUser-Agent: baseline\r\n\r\n" % (path, host))
        status = int(sock.readline().split(None, 2)[1])
        while sock.readline() not in (b"", b"\r\n"):
            pass
        body = sock.read()
    finally:
        sock.close()
    if status != 200:
        raise OSError("HTTP %d for %s" % (status, url))
    return body


def installed():
    try:
        with open("/%s/.version" % MAIN_DIR) as f:
            return f.read().strip()
    except OSError:
        return None


def check():
    """The latest release's version if it is not the installed one, else None."""
    release = json.loads(_get(API + "/releases/latest"))
    version = release["tag_name"].lstrip("v")
    return None if version == installed() else version


def _rmtree(path):
    try:
        names = os.listdir(path)
    except OSError:
        return
    for name in names:
        child = path + "/" + name
        try:
            os.remove(child)
        except OSError:
            _rmtree(child)
    os.rmdir(path)


def _download_dir(tag, path, target):
    # the listing stays parsed in RAM while its files and subdirectories download, as in the seed
    entries = json.loads(_get(API + "/contents/" + path + "?ref=" + tag))
    for entry in entries:
        dest = target + "/" + entry["name"]
        if entry["type"] == "dir":
            os.mkdir(dest)
            _download_dir(tag, entry["path"], dest)
        elif entry["type"] == "file":
            data = _get(entry["download_url"])
            with open(dest, "wb") as f:
                f.write(data)
            data = None


def update():
    """Downloads the latest release into /next and moves it over the app; its version, or None."""
    version = check()
    if version is None:
        return None
    _rmtree("/next")
    os.mkdir("/next")
    _download_dir("v" + version, MAIN_DIR, "/next")
    with open("/next/.version", "w") as f:
        f.write(version)
    _rmtree("/" + MAIN_DIR)
    os.rename("/next", "/" + MAIN_DIR)
    return version
