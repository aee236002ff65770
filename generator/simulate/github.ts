/**
 * A GitHub-like site for the device's three endpoints (docs/protocol.md), as pure functions from
 * raw request bytes to raw response bytes: release assets behind a 302 to a signed URL on another
 * host name, raw files with chunked bodies, 404s, 403 without a User-Agent. The simulator's
 * in-process socket and its loopback server both answer with these, so the device sees the same
 * bytes either way.
 */

import { createHmac } from "node:crypto";
import semver from "semver";
import { serializeVersionIndex, VERSIONS_ASSET } from "../release/version-index.js";

/** One release as the site publishes it. */
export interface SiteRelease {
  tag: string;
  version: string;
  prerelease: boolean;
  /** Marked as the latest release (GitHub's `make_latest`); without a mark, the highest version is. */
  latest?: boolean;
  /** Release assets by name, e.g. `ota-version`, `ota-manifest.json`. */
  assets: Record<string, Uint8Array>;
  /** The app directory's files, by path relative to it, served as raw files. */
  files: Record<string, Uint8Array>;
}

/** What the site serves and under which names. */
export interface GithubSite {
  /** owner/name */
  repo: string;
  /** The app's folder in the repository (the config's appPath), as in raw URLs. */
  dir: string;
  /** Origin redirects point to, e.g. `http://localhost:8080`. */
  downloadOrigin: string;
  /** Host header the download host answers to, e.g. `localhost:8080`. */
  downloadHost: string;
  /** Raw files chunked (as GitHub does) or with a Content-Length. */
  rawChunked: boolean;
  /** Key of the download signatures. */
  secret: string | Uint8Array;
  /** The releases, looked up on every request (so publishing between requests works). */
  releases(): readonly SiteRelease[];
}

/** A parsed request head. */
export interface HttpRequest {
  method: string;
  /** Path and query as sent, e.g. `/dl/v1.0.0/ota-version?sig=...`. */
  path: string;
  httpVersion: string;
  /** Header names in lower case; a repeated header keeps its last value. */
  headers: Record<string, string>;
  /** The Host header, or "". */
  host: string;
}

/** A response before framing: status, headers, body, and whether to send it chunked. */
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  chunked: boolean;
}

const NO_UA_BODY =
  "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).\n";

const REASONS: Record<number, string> = { 200: "OK", 302: "Found", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error" };

/** Bytes of a string as UTF-8. */
export function utf8(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}

/** A reply with a body given as text or bytes. */
export function reply(status: number, body: Uint8Array | string = "", headers: Record<string, string> = {}, chunked = false): HttpReply {
  return { status, body: typeof body === "string" ? utf8(body) : body, headers, chunked };
}

/** Index just past the blank line that ends a request head, or -1 while it is incomplete. */
export function headEnd(raw: Uint8Array): number {
  const at = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).indexOf("\r\n\r\n");
  return at < 0 ? -1 : at + 4;
}

/** Parses a request head (request line and headers); null when it is not HTTP/1.x. */
export function parseRequest(raw: Uint8Array): HttpRequest | null {
  const end = headEnd(raw);
  const text = Buffer.from(raw.buffer, raw.byteOffset, end < 0 ? raw.byteLength : end).toString("latin1");
  const [first = "", ...lines] = text.split("\r\n");
  const match = /^([A-Z]+) (\S+) HTTP\/(1\.[01])$/.exec(first);
  if (!match) return null;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { method: match[1]!, path: match[2]!, httpVersion: match[3]!, headers, host: headers["host"] ?? "" };
}

/** The signature the download host expects for `path`. */
function sign(site: GithubSite, path: string): string {
  return createHmac("sha256", site.secret).update(path).digest("hex").slice(0, 20);
}

/** What `releases/latest` answers: the release marked latest, else the highest that is not a prerelease. */
export function latestRelease(releases: readonly SiteRelease[]): SiteRelease | undefined {
  return releases.find((release) => release.latest) ?? releases
    .filter((release) => !release.prerelease && semver.valid(release.version))
    .sort((a, b) => semver.rcompare(a.version, b.version))[0];
}

/**
 * The releases with `ota-versions` attached, listing every release's version: what a device repo's
 * release workflow leaves on the latest release (docs/protocol.md, "Version index"). A release
 * that carries its own index keeps it.
 */
export function withVersionIndex(releases: readonly SiteRelease[]): SiteRelease[] {
  const index = utf8(serializeVersionIndex(releases.map((release) => release.version)));
  return releases.map((release) => (VERSIONS_ASSET in release.assets ? release : { ...release, assets: { ...release.assets, [VERSIONS_ASSET]: index } }));
}

/** Routes a request to the reply GitHub would give. */
export function routeRequest(site: GithubSite, request: HttpRequest): HttpReply {
  const notFound = (): HttpReply => reply(404, "Not Found", { "content-type": "text/plain" });
  if (!request.headers["user-agent"]) return reply(403, NO_UA_BODY, { "content-type": "text/plain" });
  if (request.method !== "GET" && request.method !== "HEAD") return notFound();
  const url = new URL(request.path, "http://x");
  let segments: string[];
  try {
    segments = url.pathname.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return reply(400, "Bad Request");
  }
  const releases = site.releases();
  const byTag = (tag: string | undefined) => releases.find((release) => release.tag === tag);
  const [owner, name] = site.repo.split("/");
  const isRepo = (from: number): boolean => segments[from] === owner && segments[from + 1] === name;
  const toDownloadHost = (release: SiteRelease | undefined, asset: string): HttpReply => {
    if (!release || !(asset in release.assets)) return notFound();
    const path = `/dl/${encodeURIComponent(release.tag)}/${encodeURIComponent(asset)}`;
    return reply(302, "", { location: `${site.downloadOrigin}${path}?sig=${sign(site, path)}` });
  };

  // /{repo}/releases/latest/download/{asset}, /{repo}/releases/download/{tag}/{asset}
  if (isRepo(0) && segments[2] === "releases") {
    if (segments.length === 6 && segments[3] === "latest" && segments[4] === "download") return toDownloadHost(latestRelease(releases), segments[5]!);
    if (segments.length === 6 && segments[3] === "download") return toDownloadHost(byTag(segments[4]), segments[5]!);
    return notFound();
  }
  // /dl/{tag}/{asset}?sig=... on the download host only
  if (segments[0] === "dl" && segments.length === 3) {
    if (request.host !== site.downloadHost) return notFound();
    if (url.searchParams.get("sig") !== sign(site, url.pathname)) return reply(403, "Signature mismatch");
    const body = byTag(segments[1])?.assets[segments[2]!];
    return body ? reply(200, body, { "content-type": "application/octet-stream" }) : notFound();
  }
  // /raw/{repo}/{tag}/{dir}/{path}
  if (segments[0] === "raw" && isRepo(1) && segments.length > 4) {
    let rest = segments.slice(4);
    if (site.dir !== "") {
      const dirParts = site.dir.split("/");
      if (rest.slice(0, dirParts.length).join("/") !== site.dir) return notFound();
      rest = rest.slice(dirParts.length);
    } else if (rest[0] === "") {
      rest = rest.slice(1);
    }
    const content = byTag(segments[3])?.files[rest.join("/")];
    return content === undefined ? notFound() : reply(200, content, { "content-type": "text/plain; charset=utf-8" }, site.rawChunked);
  }
  return notFound();
}

/** Status line and headers (with `connection: close`, and the length or chunked framing). */
export function encodeHead(answer: HttpReply): Buffer {
  const headers: Record<string, string> = { ...answer.headers, connection: "close" };
  if (answer.chunked) headers["transfer-encoding"] = "chunked";
  else headers["content-length"] = String(answer.body.length);
  const lines = [`HTTP/1.1 ${answer.status} ${REASONS[answer.status] ?? "Unknown"}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
}

/** One body piece as sent: framed as a chunk when the body is chunked. */
export function encodePiece(piece: Uint8Array, chunked: boolean): Buffer {
  if (!chunked) return Buffer.from(piece);
  return Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]);
}

/** What ends a body: the zero chunk when chunked, nothing otherwise. */
export function encodeEnd(chunked: boolean): Buffer {
  return chunked ? Buffer.from("0\r\n\r\n") : Buffer.alloc(0);
}

/** The body cut into pieces of at most `pieceBytes` (each a chunk when chunked). */
export function bodyPieces(body: Uint8Array, pieceBytes: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < body.length; at += pieceBytes) pieces.push(body.subarray(at, Math.min(at + pieceBytes, body.length)));
  return pieces;
}

/** The whole response as sent on the wire, head and framed body (no body for HEAD). */
export function encodeReply(answer: HttpReply, method: string, pieceBytes: number): Buffer {
  if (method === "HEAD") return encodeHead(answer);
  return Buffer.concat([encodeHead(answer), ...bodyPieces(answer.body, pieceBytes).map((piece) => encodePiece(piece, answer.chunked)), encodeEnd(answer.chunked)]);
}

/** One request answered: what was asked, what was replied, and the exact response bytes. */
export interface Exchange {
  request: HttpRequest | null;
  reply: HttpReply;
  response: Buffer;
}

/** Pure: a raw request (its head) to the raw response bytes the site sends back. */
export function answerRaw(site: GithubSite, raw: Uint8Array, pieceBytes = 128): Exchange {
  const request = parseRequest(raw);
  const answer = request ? routeRequest(site, request) : reply(400, "Bad Request");
  return { request, reply: answer, response: encodeReply(answer, request?.method ?? "GET", pieceBytes) };
}
