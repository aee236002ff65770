# Stand-in device HTTP client for the infrastructure tests: HTTP/1.1 GET over a raw socket,
# follows redirects (Authorization only to the first host), reads Content-Length, chunked and
# close-delimited bodies. Prints one line per response: status, final URL and the body's sha256.
import socket
import hashlib
import binascii


def split_url(url):
    rest = url[url.find('//') + 2:]
    slash = rest.find('/')
    hostport, path = (rest, '/') if slash < 0 else (rest[:slash], rest[slash:])
    host, _, port = hostport.partition(':')
    return host, int(port or 80), hostport, path


def read_line(s):
    line = b''
    while not line.endswith(b'\r\n'):
        c = s.recv(1)
        if not c:
            raise OSError('connection closed in headers')
        line += c
    return line[:-2].decode()


def read_exact(s, n, h):
    while n > 0:
        data = s.recv(min(n, 256))
        if not data:
            raise OSError('connection closed in body')
        h.update(data)
        n -= len(data)


def get(url, auth=None, max_redirects=5):
    first_host = split_url(url)[2]
    for _ in range(max_redirects + 1):
        host, port, hostport, path = split_url(url)
        s = socket.socket()
        s.settimeout(5)
        s.connect(socket.getaddrinfo(host, port)[0][-1])
        req = 'GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: gen-ota\r\nConnection: close\r\n' % (path, hostport)
        if auth and hostport == first_host:
            req += 'Authorization: %s\r\n' % auth
        s.write(req + '\r\n')
        status = int(read_line(s).split(' ')[1])
        headers = {}
        while True:
            line = read_line(s)
            if not line:
                break
            k, _, v = line.partition(':')
            headers[k.strip().lower()] = v.strip()
        if status in (301, 302, 303, 307, 308):
            s.close()
            url = headers['location']
            continue
        h = hashlib.sha256()
        size = 0
        if headers.get('transfer-encoding') == 'chunked':
            chunks = 0
            while True:
                n = int(read_line(s).split(';')[0], 16)
                if n == 0:
                    break
                read_exact(s, n, h)
                read_line(s)
                size += n
                chunks += 1
            print('CHUNKS', chunks)
        elif 'content-length' in headers:
            size = int(headers['content-length'])
            read_exact(s, size, h)
        else:
            while True:
                data = s.recv(256)
                if not data:
                    break
                h.update(data)
                size += len(data)
        s.close()
        print('GOT', status, url, size, binascii.hexlify(h.digest()).decode())
        return status
    raise OSError('too many redirects')
