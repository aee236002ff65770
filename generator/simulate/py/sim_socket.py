# The socket module of gen-ota's embedded simulator (MicroPython WebAssembly, which has none).
# Every call goes through the `simnet` JavaScript module to the simulator's GitHub-like request
# handler and is answered synchronously, so the device's HTTP code runs unchanged on the same
# bytes a TCP socket would carry. Data moves in place through the buffers' addresses: readinto
# allocates nothing, read and readline allocate the bytes they return, as the firmware's do.
import gc
import uctypes
import simnet

AF_INET = 2
SOCK_STREAM = 1


def _sample():
    simnet.sample(gc.mem_alloc())


def _check(result):
    if result < 0:
        raise OSError(-result)
    return result


def getaddrinfo(host, port, *args):
    _sample()
    _check(simnet.resolve(host))
    return [(AF_INET, SOCK_STREAM, 0, "", (host, port))]


def _take(count):
    # the bytes JavaScript left outside the GC heap, copied into one bytes object
    address = simnet.staged()
    data = uctypes.bytes_at(address, count) if count else b""
    simnet.release()
    return data


class socket:
    def __init__(self, *args):
        self._id = simnet.open()

    def settimeout(self, seconds):
        pass

    def setblocking(self, flag):
        pass

    def connect(self, address):
        _sample()
        _check(simnet.connect(self._id, address[0], address[1]))

    def write(self, data):
        _sample()
        if isinstance(data, str):
            return _check(simnet.send_text(self._id, data))
        return _check(simnet.send(self._id, uctypes.addressof(data), len(data)))

    send = write
    sendall = write

    def readinto(self, buf, count=-1):
        _sample()
        if count < 0 or count > len(buf):
            count = len(buf)
        return _check(simnet.recv_into(self._id, uctypes.addressof(buf), count))

    def read(self, count=-1):
        _sample()
        return _take(_check(simnet.recv_staged(self._id, count)))

    recv = read

    def readline(self):
        _sample()
        return _take(_check(simnet.recv_line_staged(self._id)))

    def close(self):
        simnet.close(self._id)
