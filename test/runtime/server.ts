/**
 * A local HTTP server that answers like GitHub for the device's three endpoints
 * (docs/protocol.md): release assets behind a 302 to a signed URL on another host name,
 * raw files with chunked bodies, 404s, 403 without a User-Agent, and injectable faults.
 */

import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import semver from "semver";
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
  | { kind: "body"; body: Buffer | string };

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
  /** Adds (or replaces, by tag) a release. */
  publish(release: Release): void;
  close(): Promise<void>;
}

/** What a route answers, before faults. */
interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  chunked: boolean;
}

const NO_UA_BODY = "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).\n";

/** Starts the server on 127.0.0.1 (and ::1 when free) on a random port. */
export async function startGithubServer(options: GithubServerOptions): Promise<GithubServer> {
  const repo = options.repo ?? "acme/widget";
  const dir = options.dir ?? "project";
  const chunkBytes = options.chunkBytes ?? 128;
  const rawChunked = options.rawChunked ?? true;
  const assetsOf = options.assets ?? releaseAssets;
  const releases = new Map<string, Release>(options.releases.map((r) => [releaseTag(r), r]));
  const secret = randomBytes(16);
  const faults: FaultRule[] = [];
  const requests: RequestLog[] = [];
  const sockets = new Set<Socket>();
  let port = 0;

  const sign = (path: string): string => createHmac("sha256", secret).update(path).digest("hex").slice(0, 20);
  const reply = (status: number, body: Buffer | string = "", headers: Record<string, string> = {}, chunked = false): Reply =>
    ({ status, body: toBuffer(body), headers, chunked });
  const notFound = (): Reply => reply(404, "Not Found", { "content-type": "text/plain" });

  const latest = (): Release | undefined =>
    [...releases.values()]
      .filter((r) => !r.prerelease && semver.valid(r.version))
      .sort((a, b) => semver.rcompare(a.version, b.version))[0];

  const toDownloadHost = (release: Release | undefined, asset: string): Reply => {
    if (!release || !(asset in assetsOf(release))) return notFound();
    const path = `/dl/${encodeURIComponent(releaseTag(release))}/${encodeURIComponent(asset)}`;
    return reply(302, "", { location: `http://localhost:${port}${path}?sig=${sign(path)}` });
  };

  /** Routes a request to its reply, as GitHub would answer it. */
  const route = (info: RequestInfo): Reply => {
    if (!info.headers["user-agent"]) return reply(403, NO_UA_BODY, { "content-type": "text/plain" });
    if (info.method !== "GET" && info.method !== "HEAD") return notFound();
    const url = new URL(info.path, "http://x");
    let segments: string[];
    try {
      segments = url.pathname.split("/").slice(1).map(decodeURIComponent);
    } catch {
      return reply(400, "Bad Request");
    }
    const repoParts = repo.split("/");
    const isRepo = (from: number): boolean => segments[from] === repoParts[0] && segments[from + 1] === repoParts[1];

    // /{repo}/releases/latest/download/{asset}, /{repo}/releases/download/{tag}/{asset}
    if (isRepo(0) && segments[2] === "releases") {
      if (segments.length === 6 && segments[3] === "latest" && segments[4] === "download") {
        return toDownloadHost(latest(), segments[5]!);
      }
      if (segments.length === 6 && segments[3] === "download") {
        return toDownloadHost(releases.get(segments[4]!), segments[5]!);
      }
      return notFound();
    }
    // /dl/{tag}/{asset}?sig=... on the download host only
    if (segments[0] === "dl" && segments.length === 3) {
      if (info.host !== `localhost:${port}`) return notFound();
      if (url.searchParams.get("sig") !== sign(url.pathname)) return reply(403, "Signature mismatch");
      const release = releases.get(segments[1]!);
      const body = release ? assetsOf(release)[segments[2]!] : undefined;
      if (!body) return notFound();
      return reply(200, body, { "content-type": "application/octet-stream" });
    }
    // /raw/{repo}/{tag}/{dir}/{path}
    if (segments[0] === "raw" && isRepo(1) && segments.length > 4) {
      const release = releases.get(segments[3]!);
      let rest = segments.slice(4);
      if (dir !== "") {
        const dirParts = dir.split("/");
        if (rest.slice(0, dirParts.length).join("/") !== dir) return notFound();
        rest = rest.slice(dirParts.length);
      } else if (rest[0] === "") {
        rest = rest.slice(1);
      }
      const content = release?.files[rest.join("/")];
      if (content === undefined) return notFound();
      return reply(200, content, { "content-type": "text/plain; charset=utf-8" }, rawChunked);
    }
    return notFound();
  };

  const takeFault = (info: RequestInfo): Fault | undefined => {
    const i = faults.findIndex((rule) => rule.match(info));
    if (i < 0) return undefined;
    const rule = faults[i]!;
    if (rule.once) faults.splice(i, 1);
    return rule;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const info: RequestInfo = { method: req.method ?? "", path: req.url ?? "", host: req.headers.host ?? "", headers: req.headers };
    const log: RequestLog = { ...info, httpVersion: req.httpVersion, status: 0, bytes: 0 };
    requests.push(log);
    const fault = takeFault(info);
    if (fault) log.fault = fault.kind;
    await respond(res, log, applyFault(fault, route(info), info, port), fault, chunkBytes);
  };

  const servers: Server[] = [];
  const listen = (host: string, at: number): Promise<Server | undefined> =>
    new Promise((resolve) => {
      const server = createServer((req, res) => {
        handle(req, res).catch(() => res.destroy());
      });
      server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });
      server.once("error", () => resolve(undefined));
      server.listen(at, host, () => resolve(server));
    });

  const main = await listen("127.0.0.1", 0);
  if (!main) throw new Error("test server: cannot listen on 127.0.0.1");
  servers.push(main);
  const address = main.address();
  port = typeof address === "object" && address ? address.port : 0;
  // "localhost" may resolve to ::1 first; serve it there too when the port is free.
  const v6 = await listen("::1", port);
  if (v6) servers.push(v6);

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
    publish: (release) => void releases.set(releaseTag(release), release),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
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
    default:
      return reply;
  }
}

/** Sends a reply piece by piece, honouring the faults that break the transfer. */
async function respond(res: ServerResponse, log: RequestLog, reply: Reply, fault: Fault | undefined, chunkBytes: number): Promise<void> {
  const socket = res.socket;
  if (fault?.kind === "refuse") {
    socket?.resetAndDestroy();
    return;
  }
  if (fault?.kind === "stall" && fault.afterBytes === undefined) return; // never answer
  const chunked = fault?.kind === "chunked-cut" ? true : fault?.kind === "short-body" ? false : reply.chunked;
  const cut = fault?.kind === "reset-mid-body" || fault?.kind === "short-body" || fault?.kind === "chunked-cut" || fault?.kind === "stall"
    ? fault.afterBytes ?? Math.floor(reply.body.length / 2)
    : reply.body.length;
  const limit = Math.min(cut, reply.body.length);

  const headers: Record<string, string> = { ...reply.headers, connection: "close" };
  if (!chunked) headers["content-length"] = String(reply.body.length);
  res.writeHead(reply.status, headers);
  log.status = reply.status;
  if (chunked) res.flushHeaders();

  for (let at = 0; at < limit; at += chunkBytes) {
    const piece = reply.body.subarray(at, Math.min(at + chunkBytes, limit));
    if (!(await write(res, piece))) return;
    log.bytes += piece.length;
  }
  switch (fault?.kind) {
    case "reset-mid-body":
      socket?.resetAndDestroy();
      return;
    case "short-body":
    case "chunked-cut":
      socket?.end();
      return;
    case "stall":
      return; // the socket stays open until the client or close() ends it
    default:
      res.end();
  }
}

/** Writes one piece and waits until it is handed to the kernel; false once the connection is gone. */
function write(res: ServerResponse, piece: Buffer): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = (): void => resolve(false);
    res.once("close", onClose);
    res.write(piece, (error) => {
      res.off("close", onClose);
      resolve(!error);
    });
  });
}
