/**
 * A hostile network and hostile releases against the updater (docs/security.md). A device runs
 * 1.0.0 while 1.1.0 is published; the server (or a release) misbehaves on purpose while the
 * device calls `ota.update()`. Each refusal must end with nothing staged and the app untouched
 * (no block write at all), one `ota: (check|update) failed: ...` line naming the reason (and the
 * host, for what a server sent), update() returning None, every socket closed, no traceback and
 * the token nowhere in the output. A few cases must go through instead (an HTTPS:// endpoint, an
 * app shipping its own ota_fetch.py), with what they prove checked on the way.
 *
 * Device code: .py and .mpy at the board's heap budget, `update: "manual"`, a 1 s socket timeout
 * (so a 6 s request deadline), a token, and a stand-in ssl module (the unix port has none) that
 * records each TLS wrap and passes the bytes through.
 */
import { createServer as createHttpServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { targets } from "../../targets/index.js";
import { describe as describeRun, type Device } from "../runtime/device.js";
import { serverEndpoints, startGithubServer, type FaultRule, type GithubServer, type RequestInfo } from "../runtime/server.js";
import { BOOT_SNIPPET, flashDevice, mpyOf, testConfig, type ImageOptions, type Variant } from "../runtime/updater.js";
import { CURRENT_FIRMWARE, firmwareColumns, firmwareImage, runtimeOrSkip, type Firmware } from "../runtime/firmware.js";
import { appState, classifyApp, INSPECT, installInspector, parseInspection, pool, readJournal, sha256, type AppRelease } from "./common.js";
import { ERROR_LINE, SOCKET_SHIM, TOKEN, UPDATE_SNIPPET, V11_ALL } from "./network.js";
import { V1 } from "./power.js";
import { testHeap } from "../runtime/over-budget.js";
import { SIGNATURE_ASSET, signatureFile } from "../../generator/release/sign.js";
import { sequenceOf, TEST_SIGNING_KEY } from "../runtime/assets.js";

/**
 * The stand-in ssl (and ussl) module: wrap_socket records the host name and returns the socket;
 * SSLContext (as on 1.23+) records it under VERIFIED only when asked for CERT_REQUIRED with the
 * device's CA file, and refuses otherwise.
 */
const SSL_STUB = `WRAPPED = []
VERIFIED = []
CERT_NONE = 0
CERT_REQUIRED = 2
PROTOCOL_TLS_CLIENT = 0


def wrap_socket(sock, server_hostname=None, **kwargs):
    WRAPPED.append(server_hostname)
    return sock


class SSLContext:
    def __init__(self, protocol):
        self.verify_mode = CERT_NONE
        self.ca = None

    def load_verify_locations(self, cafile=None, cadata=None):
        self.ca = cadata

    def wrap_socket(self, sock, server_hostname=None):
        if self.verify_mode != CERT_REQUIRED or self.ca != b"TEST CA\\n":
            raise OSError("certificate not checked")
        VERIFIED.append(server_hostname)
        WRAPPED.append(server_hostname)
        return sock
`;

/**
 * Prints `TLS <wraps> <verified>` from whichever stub ota_http imported: a module on the image,
 * since exec'd code doing this dies with "FATAL: uncaught NLR" on the unix port (see common.ts).
 */
const TLS_REPORT = `import sys


def report():
    wraps = verified = 0
    for name in ('ssl', 'ussl'):
        if name in sys.modules:
            wraps += len(sys.modules[name].WRAPPED)
            verified += len(sys.modules[name].VERIFIED)
    print('TLS', wraps, verified)
`;

/**
 * The stand-in ussl of firmware before 1.19 (ESP8266): wrap_socket alone, as small as can be.
 */
const USSL_STUB = `WRAPPED = []
VERIFIED = []


def wrap_socket(sock, server_hostname=None):
    WRAPPED.append(server_hostname)
    return sock
`;

/**
 * A stand-in for a module the board has built in, compiled for the image's ABI: a .py stub would
 * be compiled on the test's heap at each import, heap a board's builtin module never takes.
 */
async function builtinStandIn(name: string, source: string, abi: 5 | 6): Promise<Record<string, Buffer>> {
  return { [`/lib/${name}.mpy`]: await mpyOf(source, `${name}.py`, abi) };
}

/** The CA file the https base's config names, and its content. */
const CA_FILE = "/certs/ca.pem";

/** A server that records each request's headers and answers 404: "another port". */
export interface Recorder {
  port: number;
  requests: Array<{ path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

async function startRecorder(): Promise<Recorder> {
  const requests: Recorder["requests"] = [];
  const server = createHttpServer((req, res) => {
    requests.push({ path: req.url ?? "", headers: req.headers });
    res.writeHead(404, { "content-type": "text/plain", connection: "close" });
    res.end("Not Found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A flashed device running 1.0.0 with 1.1.0 published, and what serves it. */
export interface Base {
  board: string;
  /** The MicroPython version it runs on, e.g. "1.13.0". */
  firmware: string;
  variant: Variant;
  /** "https": endpoints written HTTPS://, signed download URLs https:// too, TLS through the stub. */
  scheme: "http" | "https";
  server: GithubServer;
  recorder: Recorder;
  device: Device;
}

const isVersionAsset = (req: RequestInfo): boolean => req.path.startsWith("/dl/") && (req.path.split("?")[0] ?? "").endsWith("/ota-version");
const isManifestAsset = (req: RequestInfo): boolean => req.path.startsWith("/dl/") && (req.path.split("?")[0] ?? "").endsWith("/ota-manifest.json");
const isSignatureAsset = (req: RequestInfo): boolean => req.path.startsWith("/dl/") && (req.path.split("?")[0] ?? "").endsWith(`/${SIGNATURE_ASSET}`);
/** A served manifest body and its signature by the trusted key: what a compromised mirror could replay. */
const signedManifest = (body: string) => [
  { kind: "body" as const, body, match: isManifestAsset },
  { kind: "body" as const, body: signatureFile(body, [TEST_SIGNING_KEY]), match: isSignatureAsset },
];
/** The device's first request: the latest release's ota-version at the configured endpoint. */
const isOriginCheck = (req: RequestInfo): boolean => req.path.endsWith("/releases/latest/download/ota-version");

/** A manifest as gen-ota release writes one, signed fields first (at the installed release's sequence). */
const manifestOf = (release: { version: string; files: Record<string, string> }): string =>
  JSON.stringify({
    version: release.version,
    sequence: sequenceOf("1.0.0"),
    boards: ["esp8266", "esp32", "rp2-pico-w", "unix"],
    files: Object.entries(release.files)
      .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map(([path, text]) => ({ path, size: Buffer.byteLength(text), sha256: sha256(text) })),
  });

export async function makeBase(board: string, variant: Variant, scheme: "http" | "https", firmware: Firmware = CURRENT_FIRMWARE, image: ImageOptions = {}): Promise<Base> {
  const target = targets.get(board)!;
  const server = await startGithubServer({ releases: [V1], ...(scheme === "https" ? { downloadScheme: "https" } : {}) });
  const recorder = await startRecorder();
  const http = serverEndpoints(server);
  const endpoints = scheme === "http" ? http : {
    latest: http.latest.replace("http://", "HTTPS://"),
    release: http.release.replace("http://", "HTTPS://"),
    file: http.file.replace("http://", "HTTPS://"),
  };
  const config = testConfig(target, server, {
    update: "manual",
    timeoutSeconds: 1,
    token: { kind: "secret", name: "GITHUB_TOKEN" },
    endpoints,
    ...(scheme === "https" ? { tls: { caFile: CA_FILE } } : {}),
  });
  const device = await flashDevice(config, board, variant, testHeap({ board, variant, firmware }), image);
  await installInspector(device);
  await device.writeFiles({
    "/lib/fault_socket.py": SOCKET_SHIM,
    ...(await builtinStandIn("ssl", SSL_STUB, image.mpyAbi ?? 6)),
    ...(await builtinStandIn("ussl", USSL_STUB, image.mpyAbi ?? 6)),
    "/lib/fault_tls.py": TLS_REPORT,
    [CA_FILE]: "TEST CA\n",
    "/secrets.json": JSON.stringify({ WIFI_SSID: "test-net", WIFI_PASS: "test-pass", GITHUB_TOKEN: TOKEN }),
  });
  // installing 1.0.0 is setup, not what is measured: at a heap it surely fits (as signing.test.ts)
  const staged = await device.run("import ota\nprint('RESULT', ota.update())", { heapBytes: 96 * 1024 });
  if (!staged.output.includes("RESULT 1.0.0")) throw new Error(`prepare: 1.0.0 not staged\n${describeRun(staged)}`);
  const booted = await device.run(BOOT_SNIPPET);
  if (!booted.output.includes("APP RUNNING widget 1.0.0")) throw new Error(`prepare: 1.0.0 does not run\n${describeRun(booted)}`);
  server.publish(V11_ALL);
  return { board, firmware: firmware.version, variant, scheme, server, recorder, device };
}

export async function disposeBase(base: Base): Promise<void> {
  await base.device.dispose();
  await base.server.close();
  await base.recorder.close();
}

/** One hostile case. */
export interface HostileNetCase {
  id: string;
  scheme: "http" | "https";
  /** The server's misbehaviour (rules added in order: the first matching applies). */
  faults?: (base: Base) => FaultRule[];
  /** A setup run on the device before the update (its writes are not counted). */
  prepare?: string;
  /** The update call; default UPDATE_SNIPPET. */
  snippet?: string;
  /** What the server publishes as 1.1.0 for this case; default V11_ALL. */
  release?: AppRelease;
  /** A refusal: the reason the one error line must give. Undefined: the update must stage 1.1.0. */
  reason?: RegExp;
  /** The boards the case applies to; default all. */
  only?: (board: string) => boolean;
  /** A refusal while files are staged: staging may be left to resume, but never complete, and the app untouched. */
  midStaging?: boolean;
  /** Further checks after the run: a problem, or undefined. */
  verify?: (base: Base, output: string[]) => string | undefined;
}

const HOST = "(127\\.0\\.0\\.1|localhost)";
const raw = (bytes: string): FaultRule[] => [{ kind: "raw", bytes, match: isVersionAsset }];
/**
 * The origin's answer to `match`: a 302 back to itself whose `location:` header line is the
 * board's line limit plus `over` bytes long (a query pads it; the padded request matches no more).
 */
const longLocation = (base: Base, over: number, match = isOriginCheck): FaultRule => ({
  kind: "redirect",
  match,
  to: (req, port) => {
    const url = `http://127.0.0.1:${port}${req.path}?pad=`;
    return url + "x".repeat(targets.get(base.board)!.maxHeaderLineBytes + over - "location: ".length - url.length);
  },
});
/** The origin's request for the signatures of a release (before its redirect). */
const isOriginSignature = (req: RequestInfo): boolean => !req.path.startsWith("/dl/") && req.path.endsWith(`/${SIGNATURE_ASSET}`);
/** 1.1.0 with a manifest of about 4 KB (ESP8266's largest): what is in RAM when the signatures are fetched. */
const V11_LARGE: AppRelease = (() => {
  const files = { ...V11_ALL.files };
  for (let i = 0; manifestOf({ version: "1.1.0", files }).length < 4096 - 150; i++) files[`lib/extra_${String(i).padStart(2, "0")}.txt`] = `extra ${i}\n`;
  return { ...V11_ALL, files };
})();
/** Which hop of a redirect chain a request is: /hop/N is N, the first request 0. */
const hop = (req: RequestInfo): number => Number(req.path.split("/hop/")[1] ?? 0);
const noTokenAt = (requests: Array<{ headers: IncomingHttpHeaders }>, where: string): string | undefined =>
  requests.length === 0 ? `no request reached ${where}` : requests.some((r) => r.headers.authorization !== undefined) ? `the token reached ${where}` : undefined;

export const HOSTILE_NET_CASES: HostileNetCase[] = [
  // 4. endless data, slow retrieval, malformed HTTP
  {
    id: "a 300 KB header line",
    scheme: "http",
    faults: () => [{ kind: "extra-header", line: `X-Big: ${"a".repeat(300 * 1024)}`, match: isVersionAsset }],
    reason: new RegExp(`check failed: headers over 16384 bytes from ${HOST}`),
  },
  { id: "endless header lines", scheme: "http", faults: () => [{ kind: "endless-headers", match: isVersionAsset }], reason: new RegExp(`check failed: more than 64 header lines from ${HOST}`) },
  { id: "one byte every 0.3 s", scheme: "http", faults: () => [{ kind: "drip", intervalMs: 300, match: isVersionAsset }], reason: new RegExp(`check failed: ${HOST} too slow: deadline passed`) },
  {
    id: "one byte every 0.3 s in a file",
    scheme: "http",
    faults: () => [{ kind: "drip", intervalMs: 300, match: (req) => req.path.endsWith("/project/README.txt") }],
    reason: new RegExp(`update failed: ${HOST} too slow: deadline passed`),
    midStaging: true,
  },
  { id: "an empty reply", scheme: "http", faults: () => raw(""), reason: new RegExp(`check failed: connection closed by ${HOST} in the headers`) },
  { id: "a junk status line", scheme: "http", faults: () => raw("SSH-2.0-OpenSSH_9.6\r\n\r\n"), reason: new RegExp(`check failed: malformed status line from ${HOST}`) },
  { id: "a status line without a code", scheme: "http", faults: () => raw("HTTP/1.1\r\n\r\n1.1.0\n"), reason: new RegExp(`check failed: malformed status line from ${HOST}`) },
  { id: "Content-Length: abc", scheme: "http", faults: () => raw("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n1.1.0\n"), reason: new RegExp(`check failed: bad Content-Length b?'abc' from ${HOST}`) },
  { id: "Content-Length: -5", scheme: "http", faults: () => raw("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n1.1.0\n"), reason: new RegExp(`check failed: bad Content-Length b?'-5' from ${HOST}`) },
  { id: "chunk size zz", scheme: "http", faults: () => raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n1.1.0\n\r\n0\r\n\r\n"), reason: new RegExp(`check failed: bad chunk size b?'zz' from ${HOST}`) },
  { id: "chunk size -5", scheme: "http", faults: () => raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n1.1.0\n\r\n0\r\n\r\n"), reason: new RegExp(`check failed: bad chunk size b?'-5' from ${HOST}`) },
  // lies the framing rules decide: RFC 9112's, and what a 30 KB heap can hold
  { id: "a 302 without a Location", scheme: "http", faults: () => raw("HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n"), reason: new RegExp(`check failed: HTTP 302 for http://${HOST}:\\d+/`) },
  { id: "a 100 Continue before the status", scheme: "http", faults: () => raw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n1.1.0\n") },
  { id: "100 Continue without end", scheme: "http", faults: () => raw("HTTP/1.1 100 Continue\r\n\r\n".repeat(1000)), reason: new RegExp(`check failed: headers over 16384 bytes from ${HOST}`) },
  { id: "an HTTP/1.0 body delimited by the close", scheme: "http", faults: () => raw("HTTP/1.0 200 OK\r\n\r\n1.1.0\n") },
  {
    id: "Content-Length over the body, then a stall",
    scheme: "http",
    faults: () => [{ kind: "raw", bytes: "HTTP/1.1 200 OK\r\nContent-Length: 60\r\n\r\n1.1.0\n", stall: true, match: isVersionAsset }],
    reason: new RegExp(`check failed: no data from ${HOST} in 1 s`),
  },
  {
    id: "two Content-Lengths that disagree",
    scheme: "http",
    faults: () => raw("HTTP/1.1 200 OK\r\nContent-Length: 60\r\nContent-Length: 6\r\n\r\n1.1.0\n"),
    reason: new RegExp(`check failed: conflicting content-length headers from ${HOST}`),
  },
  { id: "two Content-Lengths that agree", scheme: "http", faults: () => raw("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nContent-Length: 6\r\n\r\n1.1.0\n") },
  { id: "chunked with a Content-Length: chunked wins", scheme: "http", faults: () => raw("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n1.1.0\n\r\n0\r\n\r\n") },
  { id: "a chunk extension", scheme: "http", faults: () => raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6;x=y\r\n1.1.0\n\r\n0;z\r\n\r\n") },
  { id: "a Location line of exactly the board's line limit", scheme: "http", faults: (base) => [longLocation(base, 0)] },
  { id: "a Location line one byte over the line limit", scheme: "http", faults: (base) => [longLocation(base, 1)], reason: new RegExp(`check failed: HTTP 302 for http://${HOST}:\\d+/`) },
  {
    id: "a Location at the line limit for the signatures, beside a 4 KB manifest",
    scheme: "http",
    release: V11_LARGE,
    faults: (base) => [longLocation(base, 0, isOriginSignature)],
  },
  {
    id: "more redirects than allowed, the last to another host",
    scheme: "http",
    faults: () => [{ kind: "redirect", to: (req, port) => `http://${hop(req) < 5 ? "127.0.0.1" : "localhost"}:${port}/hop/${hop(req) + 1}`, match: (req) => isOriginCheck(req) || req.path.startsWith("/hop/") }],
    reason: /check failed: more than 5 redirects for http:\/\/localhost:\d+\/hop\/6/,
    verify: (base) => base.server.requests.some((r) => r.host.startsWith("localhost")) ? "the redirect past the limit was followed" : undefined,
  },
  // what ota-version says: one line, a version
  { id: "an ota-version with a NUL", scheme: "http", faults: () => raw("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n1.1.0\x00\n"), reason: new RegExp(`check failed: b?'1\\.1\\.0\\\\x00\\\\n' from http://${HOST}:\\d+/\\S+ is not a version`) },
  { id: "an ota-version of two lines", scheme: "http", faults: () => raw("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n1.1.0\n1.2.0\n"), reason: new RegExp(`check failed: b?'1\\.1\\.0\\\\n1\\.2\\.0\\\\n' from http://${HOST}:\\d+/\\S+ is not a version`) },
  {
    id: "a 1 MB ota-version without a length",
    scheme: "http",
    faults: () => raw(`HTTP/1.0 200 OK\r\n\r\n${"1".repeat(1 << 20)}`),
    reason: new RegExp(`check failed: http://${HOST}:\\d+/\\S+ is larger than 64 bytes`),
  },
  {
    id: "a redirect to a Location that is not an http URL",
    scheme: "http",
    faults: () => [{ kind: "redirect", to: () => "ftp://127.0.0.1/x", match: isOriginCheck }],
    reason: /check failed: not an http:\/\/ or https:\/\/ URL: 'ftp:\/\/127\.0\.0\.1\/x'/,
  },
  // 4. the token: only to the scheme, host and port configured
  {
    id: "a redirect to another port",
    scheme: "http",
    faults: (base) => [{ kind: "redirect", to: (req) => `http://127.0.0.1:${base.recorder.port}${req.path}`, match: isOriginCheck }],
    reason: /check failed: HTTP 404 for http:\/\/127\.0\.0\.1:\d+\//,
    verify: (base) => noTokenAt(base.recorder.requests, "the other port"),
  },
  {
    id: "a redirect from https to http on the same host and port",
    scheme: "https",
    faults: () => [{ kind: "redirect", to: (req, port) => `http://127.0.0.1:${port}${req.path}?downgraded`, match: isOriginCheck }],
    reason: new RegExp(`check failed: ${HOST} redirected from https to http: refused`),
    verify: (base) => base.server.requests.some((r) => r.path.includes("downgraded")) ? "the downgraded URL was fetched" : undefined,
  },
  {
    id: "an endpoint written HTTPS://",
    scheme: "https",
    snippet: `${UPDATE_SNIPPET}\nimport fault_tls\nfault_tls.report()`,
    verify: (base, output) => {
      const [wraps, verified] = (output.find((line) => line.startsWith("TLS ")) ?? "TLS 0 0").slice(4).split(" ").map(Number);
      if (!(wraps! >= 3)) return `TLS was not used for every request: ${wraps} wraps`;
      const canVerify = targets.get(base.board)!.has.reliableTls; // axTLS (esp8266) cannot check certificates
      if (canVerify && verified !== wraps) return `certificates checked on ${verified} of ${wraps} connections`;
      if (!canVerify && verified !== 0) return "axTLS board asked for certificate checks";
      const origin = base.server.requests.filter((r) => r.host.startsWith("127.0.0.1"));
      if (origin.length === 0 || origin.some((r) => r.headers.authorization !== `token ${TOKEN}`)) return "the token did not reach the configured https origin";
      if (base.server.requests.some((r) => r.host.startsWith("localhost") && r.headers.authorization !== undefined)) return "the token crossed to another host";
      return undefined;
    },
  },
  {
    id: "no CA file on the device",
    scheme: "https",
    only: (board) => targets.get(board)!.has.reliableTls,
    prepare: `import os\nos.remove(${JSON.stringify(CA_FILE)})`,
    reason: new RegExp(`check failed: no CA file /certs/ca\\.pem to check ${HOST} against`),
  },
  // 3. anti-rollback on every path
  {
    id: "fallback to an older manifest",
    scheme: "http",
    faults: () => [
      { kind: "body", body: "1.5.0\n", match: isVersionAsset },
      ...signedManifest(manifestOf({ version: "0.9.0", files: V1.files })),
    ],
    reason: /update failed: 0\.9\.0 is not newer than the installed 1\.0\.0/,
  },
  {
    id: "fallback to the installed version's manifest",
    scheme: "http",
    faults: () => [
      { kind: "body", body: "1.5.0\n", match: isVersionAsset },
      ...signedManifest(manifestOf(V1)),
    ],
    reason: /update failed: 1\.0\.0 is already installed/,
  },
  {
    id: "fallback to a version rolled back before",
    scheme: "http",
    prepare: "import ota, ota_fs\nj = ota.load_journal()\nj['failed'] = ['1.1.0']\nota_fs.save_journal(j)\n",
    faults: () => [{ kind: "body", body: "1.5.0\n", match: isVersionAsset }],
    reason: /update failed: 1\.1\.0 was rolled back before/,
    // the latest release is genuinely signed at a newer sequence: its trust record is written
    // (anti-replay moves on), so what is checked is the app untouched and nothing staged
    midStaging: true,
  },
  {
    id: "update() asked for an older version",
    scheme: "http",
    snippet: UPDATE_SNIPPET.replace("ota.update()", "ota.update('0.9.0')"),
    reason: /update failed: 0\.9\.0 is not newer than the installed 1\.0\.0/,
    verify: (base) => base.server.requests.length > 0 ? "a request was made for a version refused up front" : undefined,
  },
  // 5. shadowing: an app's own ota_fetch.py in appDir, first on sys.path as main.py puts it
  {
    id: "an app shipping its own ota_fetch.py",
    scheme: "http",
    prepare: [
      "with open('/project/ota_fetch.py', 'w') as f:",
      "    f.write('print(\"SHADOWED\")\\ndef plan(version=None):\\n    return None\\ndef check():\\n    return None\\n')",
      "with open('/project/helper.py', 'w') as f:",
      "    f.write('X = 42\\n')",
    ].join("\n"),
    snippet: `import sys\nsys.path.insert(0, '/project')\nimport helper\nprint('HELPER', helper.X)\n${UPDATE_SNIPPET}`,
    verify: (_base, output) =>
      output.includes("SHADOWED") ? "the app's ota_fetch.py ran" : !output.includes("HELPER 42") ? "the app's own module did not import" : undefined,
  },
];

export interface HostileNetOutcome {
  id: string;
  line?: string;
  problems: string[];
}

/** One case on a copy of the base image. */
export async function runHostileNetCase(base: Base, hostile: HostileNetCase): Promise<HostileNetOutcome> {
  const outcome: HostileNetOutcome = { id: hostile.id, problems: [] };
  const fail = (problem: string): HostileNetOutcome => {
    outcome.problems.push(`${base.board} ${base.firmware} .${base.variant} / ${hostile.id}: ${problem}`);
    return outcome;
  };
  const device = await base.device.copy();
  if (hostile.release) base.server.publish(hostile.release);
  try {
    if (hostile.prepare) {
      const prepared = await device.run(hostile.prepare);
      if (prepared.code !== 0) return fail(`prepare failed\n${describeRun(prepared)}`);
    }
    base.server.clearFaults();
    base.server.resetLog();
    base.recorder.requests.splice(0);
    for (const rule of hostile.faults?.(base) ?? []) base.server.setFault(rule);
    const run = await device.run(hostile.snippet ?? UPDATE_SNIPPET, { timeoutMs: 90_000 });
    base.server.clearFaults();
    if (run.code !== 0 || run.exception || run.timedOut || run.stderr !== "") return fail(`the update crashed\n${describeRun(run)}`);
    if (run.stdout.includes(TOKEN)) return fail("the token was logged");
    if (!run.output.includes("OPEN_SOCKETS 0")) return fail(`sockets left open\n${run.output.join("\n")}`);
    const errors = run.output.filter((line) => ERROR_LINE.test(line));
    if (hostile.reason) {
      if (errors.length !== 1) return fail(`expected one error line, got ${errors.length}\n${run.output.join("\n")}`);
      outcome.line = errors[0]!.replace(/:\d{2,5}\//g, ":PORT/");
      if (!hostile.reason.test(errors[0]!)) return fail(`refused for another reason: ${errors[0]}`);
      if (!run.output.includes("RESULT None")) return fail(`update() did not return None\n${run.output.join("\n")}`);
      if (hostile.midStaging) {
        const inspection = parseInspection((await device.run(INSPECT)).lines);
        const app = classifyApp(inspection, "/project", { old: appState(V1) });
        if (app.problem) return fail(app.problem);
        if (inspection.texts["/next/.version"] !== undefined || readJournal(inspection)?.["state"] === "staged") return fail("staging completed");
      } else if (run.writes !== 0) {
        return fail(`${run.writes} block writes: something was staged or the app touched`);
      }
    } else {
      if (errors.length > 0) return fail(`unexpected error: ${errors.join(" | ")}\n${run.output.join("\n")}`);
      if (!run.output.includes(`RESULT ${V11_ALL.version}`)) return fail(`expected 1.1.0 staged\n${run.output.join("\n")}`);
    }
    const problem = hostile.verify?.(base, run.output);
    if (problem) return fail(problem);
    return outcome;
  } finally {
    if (hostile.release) base.server.publish(V11_ALL);
    await device.dispose();
  }
}

/**
 * Every case on one board, .py and .mpy, on its oldest firmware and on 1.25 (firmware.ts: a
 * runtime not given is a skip, or under CI=true a failure): a base per variant and scheme, cases
 * a few at a time.
 */
export function hostileNetworkSuite(board: string, all = HOSTILE_NET_CASES): void {
  const cases = all.filter((c) => c.only?.(board) ?? true);
  const target = targets.get(board)!;
  for (const firmware of firmwareColumns(target)) {
    const micropython = runtimeOrSkip(firmware);
    (micropython ? test : test.skip)(`${board} on MicroPython ${firmware.version}: a hostile network and hostile releases get a clean refusal, never a hang or a crash`, async () => {
      const image = firmwareImage(target, firmware, micropython);
      const variants: Variant[] = ["py", "mpy"];
      const schemes = (["http", "https"] as const).filter((scheme) => cases.some((c) => c.scheme === scheme));
      const keys = variants.flatMap((variant) => schemes.map((scheme) => ({ variant, scheme })));
      const bases = await pool(keys, ({ variant, scheme }) => makeBase(board, variant, scheme, firmware, image), 2);
      try {
        const work = keys.flatMap((key, i) => cases.filter((c) => c.scheme === key.scheme).map((c) => ({ base: bases[i]!, c })));
        // one case per base at a time: the faults and request logs are the base's server's
        const byBase = bases.map((base) => work.filter((w) => w.base === base));
        const outcomes = (await pool(byBase, async (items) => {
          const results: HostileNetOutcome[] = [];
          for (const { base, c } of items) results.push(await runHostileNetCase(base, c));
          return results;
        }, 3)).flat();
        expect(outcomes.length).toBe(work.length);
        expect(outcomes.flatMap((o) => o.problems)).toEqual([]);
      } finally {
        await Promise.all(bases.map(disposeBase));
      }
    }, 600_000);
  }
}
