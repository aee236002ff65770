/**
 * A local HTTP server that answers like GitHub for the device's three endpoints
 * (docs/protocol.md): release assets behind a 302 to a signed URL on another host name,
 * raw files with chunked bodies, 404s, 403 without a User-Agent, and injectable faults; the
 * latest release carries the version index (ota-versions) of all releases published.
 * Routing and framing are gen-ota's own (generator/simulate/github.ts, which `gen-ota simulate`
 * serves too); this file adds the faults and the request log.
 */

import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";
import {
  bodyPieces,
  encodeEnd,
  encodeHead,
  encodePiece,
  parseRequest,
  reply as makeReply,
  routeRequest,
  type GithubSite,
  type HttpReply,
  type HttpRequest,
  type SiteRelease,
  withVersionIndex,
} from "../../generator/simulate/github.js";
import { listenLoopback } from "../../generator/simulate/github-server.js";
import { releaseAssets, releaseTag, toBuffer, type Release } from "./assets.js";

export type { Release } from "./assets.js";

/** What a fault rule sees of a request. */
export interface RequestInfo {
  method: string;
  /** Path and query as sent, e.g. `/dl/v1.0.0/ota-version?sig=...`. */
  path: string;
  /** The Host header. */
  host: string;
  headers: IncomingHttpHeaders;
}

/** One way for the network to misbehave on a matched request. `afterBytes` defaults to half the body. */
export type Fault =
  /** Answer this status instead (e.g. 403 rate limit, 500), with these headers and body. */
  | { kind: "status"; code: number; headers?: Record<string, string>; body?: string }
  /** Reset the connection before any response. */
  | { kind: "refuse" }
  /** Send the headers and `afterBytes` of the body, then reset the connection (RST). */
  | { kind: "reset-mid-body"; afterBytes?: number }
  /** Announce the full Content-Length, send `afterBytes`, then close cleanly (FIN). */
  | { kind: "short-body"; afterBytes?: number }
  /** Chunked body cut after `afterBytes`: no terminating zero chunk, then FIN. */
  | { kind: "chunked-cut"; afterBytes?: number }
  /** Stop answering: before the status line, or after `afterBytes` of the body; the socket stays open. */
  | { kind: "stall"; afterBytes?: number }
  /** 302 to the very URL that was asked. */
  | { kind: "redirect-loop" }
  /** 302 to another host name serving the same path (default `http://localhost:PORT<path>`). */
  | { kind: "redirect-other-host"; location?: string }
  /** The real body followed by `extraBytes` (default 256 KiB) of spaces. */
  | { kind: "oversize"; extraBytes?: number }
  /** Serve these bytes instead of the real body (tampered content). */
  | { kind: "body"; body: Buffer | string }
  /** Hostile: these raw bytes instead of the whole reply (status line and all), then FIN, or with `stall` the socket left open. */
  | { kind: "raw"; bytes: Buffer | string; stall?: boolean }
  /** Hostile: the real reply's head with this header line added (e.g. 300 KB long), then the body. */
  | { kind: "extra-header"; line: string }
  /** Hostile: a status line, then short header lines without end, until the client hangs up. */
  | { kind: "endless-headers" }
  /** Hostile: the real reply (head and body) one byte every `intervalMs`. */
  | { kind: "drip"; intervalMs: number }
  /** A 302 to a URL made from the request and this server's port (e.g. another port, another scheme). */
  | { kind: "redirect"; to: (req: RequestInfo, port: number) => string };

/** A fault and the requests it applies to; `once` removes it after its first use. */
export type FaultRule = Fault & { match: (req: RequestInfo) => boolean; once?: boolean };

/** One logged request. */
export interface RequestLog extends RequestInfo {
  httpVersion: string;
  /** Status sent; 0 when the connection was dropped before any. */
  status: number;
  /** Body bytes sent (headers and chunk framing not counted). */
  bytes: number;
  fault?: Fault["kind"];
  /** Bytes written on the connection, status line and headers too; set when it closes. */
  wireBytes?: number;
}

/** How to run the server. */
export interface GithubServerOptions {
  releases: Release[];
  /** owner/name; default "acme/widget". */
  repo?: string;
  /** appDir without its leading `/`, as in raw URLs; default "project". */
  dir?: string;
  /** Raw files chunked (default) or with a Content-Length. */
  rawChunked?: boolean;
  /** Body pieces are written this big, each its own write (and chunk); default 128. */
  chunkBytes?: number;
  /** The release assets; default the protocol's ota-version and ota-manifest.json. */
  assets?: (release: Release) => Record<string, Buffer>;
  /** Scheme of the signed download URLs the asset redirects point at; default "http". */
  downloadScheme?: string;
  /**
   * Routes GitHub's site (generator/simulate/github.ts) does not serve, asked for requests it
   * answers 404: the bench's REST API, which the baseline updater reads and gen-ota never does.
   */
  extraRoutes?: (request: HttpRequest, origin: string) => HttpReply | undefined;
}

/** A running server. */
export interface GithubServer {
  port: number;
  /** `http://127.0.0.1:PORT` */
  url: string;
  repo: string;
  dir: string;
  /** Every request so far, in arrival order. */
  requests: RequestLog[];
  /** Request count and body bytes sent since the last resetLog(). */
  totals(): { requests: number; bytes: number };
  /** Adds a fault rule; the first matching rule applies. */
  setFault(rule: FaultRule): void;
  clearFaults(): void;
  resetLog(): void;
  /** Adds (or replaces, by tag) a release; `latest` marks it as the latest, as GitHub's `make_latest` does. */
  publish(release: Release, options?: { latest?: boolean }): void;
  /** Waits (2 s at most) until every connection so far has closed, so that `wireBytes` is set. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** What a route answers, before faults. */
type Reply = HttpReply;

/** Starts the server on 127.0.0.1 (and ::1 when free) on a random port. */
export async function startGithubServer(options: GithubServerOptions): Promise<GithubServer> {
  const repo = options.repo ?? "acme/widget";
  const dir = options.dir ?? "project";
  const chunkBytes = options.chunkBytes ?? 128;
  const assetsOf = options.assets ?? releaseAssets;
  const releases = new Map<string, Release>(options.releases.map((r) => [releaseTag(r), r]));
  let markedLatest: string | undefined;
  const faults: FaultRule[] = [];
  const requests: RequestLog[] = [];
  let port = 0;

  const toSite = (release: Release): SiteRelease => ({
    tag: releaseTag(release),
    version: release.version,
    prerelease: release.prerelease ?? false,
    latest: releaseTag(release) === markedLatest,
    assets: assetsOf(release),
    files: Object.fromEntries(Object.entries(release.files).map(([path, content]) => [path, toBuffer(content)])),
  });
  const site: GithubSite = {
    repo,
    dir,
    get downloadOrigin() {
      return `${options.downloadScheme ?? "http"}://localhost:${port}`;
    },
    get downloadHost() {
      return `localhost:${port}`;
    },
    rawChunked: options.rawChunked ?? true,
    secret: randomBytes(16),
    releases: () => withVersionIndex([...releases.values()].map(toSite)),
  };

  const takeFault = (info: RequestInfo): Fault | undefined => {
    const i = faults.findIndex((rule) => rule.match(info));
    if (i < 0) return undefined;
    const rule = faults[i]!;
    if (rule.once) faults.splice(i, 1);
    return rule;
  };

  const handle = async (raw: Buffer, socket: Socket): Promise<void> => {
    const parsed = parseRequest(raw);
    if (!parsed) {
      socket.end(encodeHead(makeReply(400, "")));
      return;
    }
    const info: RequestInfo = { method: parsed.method, path: parsed.path, host: parsed.host, headers: parsed.headers };
    const log: RequestLog = { ...info, httpVersion: parsed.httpVersion, status: 0, bytes: 0 };
    requests.push(log);
    socket.once("close", () => (log.wireBytes = socket.bytesWritten));
    const fault = takeFault(info);
    if (fault) log.fault = fault.kind;
    let answer = routeRequest(site, parsed);
    if (answer.status === 404) answer = options.extraRoutes?.(parsed, `http://127.0.0.1:${port}`) ?? answer;
    await respond(socket, log, applyFault(fault, answer, info, port), fault, chunkBytes);
  };

  const listening = await listenLoopback((raw, socket) => handle(raw, socket));
  port = listening.port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    repo,
    dir,
    requests,
    totals: () => ({ requests: requests.length, bytes: requests.reduce((sum, r) => sum + r.bytes, 0) }),
    setFault: (rule) => void faults.push(rule),
    clearFaults: () => void faults.splice(0),
    resetLog: () => void requests.splice(0),
    publish: (release, { latest = false } = {}) => {
      releases.set(releaseTag(release), release);
      if (latest) markedLatest = releaseTag(release);
    },
    settle: async () => {
      for (let waited = 0; requests.some((r) => r.wireBytes === undefined) && waited < 2000; waited += 5) await new Promise((r) => setTimeout(r, 5));
    },
    close: () => listening.close(),
  };
}

/** URL templates for a config pointing at this server; `dir` defaults to the server's. */
export function serverEndpoints(server: GithubServer, dir: string = server.dir): { latest: string; release: string; file: string } {
  const base = `${server.url}/${server.repo}`;
  return {
    latest: `${base}/releases/latest/download/{asset}`,
    release: `${base}/releases/download/{tag}/{asset}`,
    file: `${server.url}/raw/${server.repo}/{tag}/${dir}/{path}`,
  };
}

/** Rewrites a reply for the faults that change what is answered (not how it is sent). */
function applyFault(fault: Fault | undefined, reply: Reply, info: RequestInfo, port: number): Reply {
  switch (fault?.kind) {
    case "status":
      return { status: fault.code, headers: fault.headers ?? {}, body: toBuffer(fault.body ?? ""), chunked: false };
    case "redirect-loop":
      return { status: 302, headers: { location: `http://${info.host}${info.path}` }, body: Buffer.alloc(0), chunked: false };
    case "redirect-other-host":
      return { status: 302, headers: { location: fault.location ?? `http://localhost:${port}${info.path}` }, body: Buffer.alloc(0), chunked: false };
    case "oversize":
      return { ...reply, body: Buffer.concat([reply.body, Buffer.alloc(fault.extraBytes ?? 256 * 1024, " ")]) };
    case "body":
      return { ...reply, body: toBuffer(fault.body) };
    case "redirect":
      return { status: 302, headers: { location: fault.to(info, port) }, body: Buffer.alloc(0), chunked: false };
    default:
      return reply;
  }
}

/** Sends a reply piece by piece on the raw socket, honouring the faults that break the transfer. */
async function respond(socket: Socket, log: RequestLog, reply: Reply, fault: Fault | undefined, chunkBytes: number): Promise<void> {
  if (fault?.kind === "refuse") {
    socket.resetAndDestroy();
    return;
  }
  if (fault?.kind === "stall" && fault.afterBytes === undefined) return; // never answer
  if (fault?.kind === "raw" || fault?.kind === "endless-headers" || fault?.kind === "drip" || fault?.kind === "extra-header") {
    await respondHostile(socket, log, reply, fault);
    return;
  }
  const chunked = fault?.kind === "chunked-cut" ? true : fault?.kind === "short-body" ? false : reply.chunked;
  const cut = fault?.kind === "reset-mid-body" || fault?.kind === "short-body" || fault?.kind === "chunked-cut" || fault?.kind === "stall"
    ? fault.afterBytes ?? Math.floor(reply.body.length / 2)
    : reply.body.length;
  const limit = log.method === "HEAD" ? 0 : Math.min(cut, reply.body.length);

  if (!(await write(socket, encodeHead({ ...reply, chunked })))) return;
  log.status = reply.status;
  for (const piece of bodyPieces(reply.body.subarray(0, limit), chunkBytes)) {
    if (!(await write(socket, encodePiece(piece, chunked)))) return;
    log.bytes += piece.length;
  }
  switch (fault?.kind) {
    case "reset-mid-body":
      socket.resetAndDestroy();
      return;
    case "short-body":
    case "chunked-cut":
      socket.end();
      return;
    case "stall":
      return; // the socket stays open until the client or close() ends it
    default:
      socket.end(log.method === "HEAD" ? Buffer.alloc(0) : encodeEnd(chunked));
  }
}

/** The hostile replies: raw bytes, an oversized header, headers without end, a drip. */
async function respondHostile(
  socket: Socket,
  log: RequestLog,
  reply: Reply,
  fault: Extract<Fault, { kind: "raw" | "endless-headers" | "drip" | "extra-header" }>,
): Promise<void> {
  const whole = (): Buffer => Buffer.concat([encodeHead(reply), ...bodyPieces(reply.body, 1 << 20).map((piece) => encodePiece(piece, reply.chunked)), encodeEnd(reply.chunked)]);
  switch (fault.kind) {
    case "raw":
      if ((await write(socket, toBuffer(fault.bytes))) && !fault.stall) socket.end();
      return;
    case "extra-header": {
      const head = encodeHead(reply);
      const at = head.indexOf("\r\n") + 2; // after the status line
      const bytes = Buffer.concat([head.subarray(0, at), Buffer.from(`${fault.line}\r\n`, "latin1"), head.subarray(at), reply.body]);
      log.status = reply.status;
      if (await write(socket, bytes)) socket.end();
      return;
    }
    case "endless-headers": {
      log.status = 200;
      if (!(await write(socket, Buffer.from("HTTP/1.1 200 OK\r\n")))) return;
      // at most 64 MB, in case a client never stops reading
      for (let i = 0; i < 1 << 20; i++) {
        if (!(await write(socket, Buffer.from(`X-Pad-${i}: ${"y".repeat(50)}\r\n`)))) return;
      }
      socket.end();
      return;
    }
    case "drip": {
      log.status = reply.status;
      for (const byte of whole()) {
        if (!(await write(socket, Buffer.from([byte])))) return;
        log.bytes++;
        await new Promise((resolve) => setTimeout(resolve, fault.intervalMs));
      }
      socket.end();
    }
  }
}

/** Writes bytes and waits until they are handed to the kernel; false once the connection is gone. */
function write(socket: Socket, bytes: Buffer): Promise<boolean> {
  if (socket.destroyed || socket.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = (): void => resolve(false);
    socket.once("close", onClose);
    socket.write(bytes, (error) => {
      socket.off("close", onClose);
      resolve(!error);
    });
  });
}
