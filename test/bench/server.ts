/**
 * The benchmark's server: GitHub as both updaters see it, on one port, counting what it sends.
 *
 * gen-ota's endpoints (docs/protocol.md): release assets behind a 302 to a signed download URL,
 * raw files. The baseline's: the REST API's `/repos/{repo}/releases/latest` (about 15 KB, with
 * release notes and author objects, as GitHub's is) and `/repos/{repo}/contents/{path}?ref=`
 * directory listings. Raw files carry a Content-Length, as raw.githubusercontent.com sends.
 */
import { createHash } from "node:crypto";
import { reply, type HttpReply, type HttpRequest } from "../../generator/simulate/github.js";
import { startGithubServer, type RequestLog } from "../runtime/server.js";
import type { BenchRelease } from "./app.js";

/** What the server sent since the last reset. */
export interface Traffic {
  requests: number;
  /** Response bodies only. */
  bodyBytes: number;
  /** Everything written to the sockets: status lines, headers, bodies. */
  wireBytes: number;
  /** Requests to the REST API (60 an hour per IP without a token). */
  apiRequests: number;
  paths: string[];
}

export interface BenchServer {
  url: string;
  port: number;
  repo: string;
  /** appDir without its leading "/". */
  dir: string;
  /** Makes `release` the latest (and keeps the earlier ones). */
  publish(release: BenchRelease): void;
  reset(): void;
  /** Waits for every connection to close, then totals the traffic. */
  traffic(): Promise<Traffic>;
  close(): Promise<void>;
}

const tagOf = (version: string): string => `v${version}`;
const gitSha = (content: Buffer): string => createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");

/** A GitHub user object, as the API nests it in releases and assets. */
function user(login: string, id: number): Record<string, unknown> {
  const api = `https://api.github.com/users/${login}`;
  return {
    login, id, node_id: `MDQ6VXNlcj${id}`, avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`, gravatar_id: "",
    url: api, html_url: `https://github.com/${login}`, followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`, gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`, subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`, repos_url: `${api}/repos`, events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`, type: "User", user_view_type: "public", site_admin: false,
  };
}

/** `/repos/{repo}/releases/latest` as GitHub answers it: about 15 KB for a release with notes and two assets. */
export function releaseJson(repo: string, release: BenchRelease): Buffer {
  const tag = tagOf(release.version);
  const api = `https://api.github.com/repos/${repo}`;
  const author = user("release-bot", 4113507);
  const asset = (name: string, id: number, size: number) => ({
    url: `${api}/releases/assets/${id}`, id, node_id: `RA_kwDOH${id}`, name, label: "", uploader: author,
    content_type: "application/octet-stream", state: "uploaded", size, digest: null, download_count: 1234,
    created_at: "2025-05-02T10:11:12Z", updated_at: "2025-05-02T10:11:13Z",
    browser_download_url: `https://github.com/${repo}/releases/download/${tag}/${name}`,
  });
  const notes = Array.from({ length: 150 }, (_, i) =>
    `- ${i % 3 ? "fix" : "feat"}(${["sensor", "net", "display", "ota"][i % 4]}): change ${i} to the controller, see #${1200 + i} by @contributor${i % 7}`,
  ).join("\r\n");
  const json = {
    url: `${api}/releases/201${release.version.replace(/\D/g, "")}`, assets_url: `${api}/releases/2011/assets`,
    upload_url: `https://uploads.github.com/repos/${repo}/releases/2011/assets{?name,label}`,
    html_url: `https://github.com/${repo}/releases/tag/${tag}`, id: 2011, author, node_id: "RE_kwDOHxyz",
    tag_name: tag, target_commitish: "main", name: `Release ${release.version}`, draft: false, immutable: false,
    prerelease: false, created_at: "2025-05-02T10:00:00Z", updated_at: "2025-05-02T10:11:13Z", published_at: "2025-05-02T10:11:14Z",
    assets: [asset("ota-manifest.json", 5011, 2400), asset("ota-version", 5012, 6)],
    tarball_url: `${api}/tarball/${tag}`, zipball_url: `${api}/zipball/${tag}`,
    body: `## What's changed\r\n${notes}\r\n\r\n**Full changelog**: https://github.com/${repo}/compare/v0.9.0...${tag}`,
    reactions: { url: `${api}/releases/2011/reactions`, total_count: 3, "+1": 2, "-1": 0, laugh: 0, hooray: 1, confused: 0, heart: 0, rocket: 0, eyes: 0 },
    mentions_count: 7,
  };
  return Buffer.from(JSON.stringify(json));
}

/** `/repos/{repo}/contents/{path}?ref={tag}`: one directory's entries, files and subdirectories. */
function contentsJson(repo: string, dir: string, release: BenchRelease, path: string, base: string): Buffer | undefined {
  const tag = tagOf(release.version);
  const prefix = path === dir ? "" : path.slice(dir.length + 1) + "/";
  if (path !== dir && !path.startsWith(dir + "/")) return undefined;
  const names = new Map<string, "file" | "dir">();
  for (const file of Object.keys(release.files)) {
    if (!file.startsWith(prefix)) continue;
    const rest = file.slice(prefix.length);
    names.set(rest.split("/")[0]!, rest.includes("/") ? "dir" : "file");
  }
  if (names.size === 0) return undefined;
  const api = `https://api.github.com/repos/${repo}`;
  const entries = [...names].sort().map(([name, type]) => {
    const full = `${path}/${name}`;
    const content = type === "file" ? release.files[prefix + name]! : Buffer.alloc(0);
    const sha = type === "file" ? gitSha(content) : createHash("sha1").update(full).digest("hex");
    const self = `${api}/contents/${full}?ref=${tag}`;
    const html = `https://github.com/${repo}/${type === "file" ? "blob" : "tree"}/${tag}/${full}`;
    const git = `${api}/git/${type === "file" ? "blobs" : "trees"}/${sha}`;
    return {
      name, path: full, sha, size: content.length, url: self, html_url: html, git_url: git,
      download_url: type === "file" ? `${base}/raw/${repo}/${tag}/${full}` : null, type,
      _links: { self, git, html },
    };
  });
  return Buffer.from(JSON.stringify(entries));
}

/**
 * The test suites' GitHub (test/runtime/server.ts, on gen-ota's own site, generator/simulate/github.ts)
 * with the REST API added and raw files sent with a Content-Length; `publish` makes a release the
 * latest, and `traffic()` totals what was sent since `reset()`.
 */
export async function startBenchServer(options: { repo?: string; dir?: string; releases: BenchRelease[] }): Promise<BenchServer> {
  const repo = options.repo ?? "acme/widget";
  const dir = options.dir ?? "project";
  const published = new Map<string, BenchRelease>();
  let latest: BenchRelease | undefined;
  const [owner, name] = repo.split("/");
  const notFound = (): HttpReply => reply(404, "Not Found", { "content-type": "text/plain" });
  const json = (body: Buffer | undefined): HttpReply => (body ? reply(200, body, { "content-type": "application/json; charset=utf-8" }) : notFound());
  const restApi = (request: HttpRequest, origin: string): HttpReply | undefined => {
    const url = new URL(request.path, "http://x");
    const parts = url.pathname.split("/").slice(1).map(decodeURIComponent);
    if (parts[0] !== "repos" || parts[1] !== owner || parts[2] !== name) return undefined;
    if (parts[3] === "releases" && parts[4] === "latest" && parts.length === 5) return json(latest && releaseJson(repo, latest));
    const ref = published.get(url.searchParams.get("ref") ?? "");
    return parts[3] === "contents" && ref ? json(contentsJson(repo, dir, ref, parts.slice(4).join("/"), origin)) : notFound();
  };
  const github = await startGithubServer({
    releases: [], repo, dir, rawChunked: false, chunkBytes: 1 << 16, extraRoutes: restApi,
  });
  const publish = (release: BenchRelease): void => {
    published.set(tagOf(release.version), release);
    latest = release;
    github.publish(release, { latest: true });
  };
  options.releases.forEach(publish);
  let since = 0;
  return {
    url: github.url,
    port: github.port,
    repo,
    dir,
    publish,
    reset: () => {
      since = github.requests.length;
    },
    traffic: async () => {
      await github.settle();
      const sent = github.requests.slice(since);
      const sum = (bytes: (r: RequestLog) => number): number => sent.reduce((total, r) => total + bytes(r), 0);
      return {
        requests: sent.length,
        bodyBytes: sum((r) => r.bytes),
        wireBytes: sum((r) => r.wireBytes ?? 0),
        apiRequests: sent.filter((r) => r.path.startsWith("/repos/")).length,
        paths: sent.map((r) => r.path),
      };
    },
    close: () => github.close(),
  };
}
