/** Tests of the runtime test infrastructure itself: harness, simulated flash, power cuts, GitHub server. */

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { get, type IncomingHttpHeaders } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { Device, POWER_CUT_EXIT, type FsKind } from "./device.js";
import { releaseAssets } from "./assets.js";
import { serverEndpoints, startGithubServer, type GithubServer, type Release } from "./server.js";
import { reply } from "../../generator/simulate/github.js";
import { hasFrozenBoard } from "../../generator/simulate/board.js";
import { findMicropython } from "./micropython.js";

const stub = (name: string): string => fileURLToPath(new URL(`./stubs/${name}`, import.meta.url));
const sha256 = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");
const FILESYSTEMS: FsKind[] = ["fat", "lfs2"];

describe.each(FILESYSTEMS)("harness on %s", (fs) => {
  let device: Device;
  beforeAll(async () => {
    device = await Device.create({ fs, heapBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await device.dispose();
  });

  test("put then ls gives Node's sha256; a file written in one process is seen by the next", async () => {
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff));
    await device.put(bytes, "/project/lib/blob.bin");
    await device.put(stub("writer.py"), "/lib/writer.py");
    const run = await device.run("with open('/project/note.txt', 'w') as f:\n    f.write('hello')\nprint('wrote')");
    expect(run.code).toBe(0);
    expect(run.output).toEqual(["wrote"]);

    const files = await device.ls();
    expect(files["/project/lib/blob.bin"]).toEqual({ size: 5000, sha256: sha256(bytes) });
    expect(files["/lib/writer.py"]?.sha256).toBe(sha256(readFileSync(stub("writer.py"))));
    expect(files["/project/note.txt"]).toEqual({ size: 5, sha256: sha256("hello") });
    expect(await device.dirs()).toEqual(["/lib", "/project", "/project/lib"]);
    expect((await device.cat("/project/note.txt")).toString()).toBe("hello");
    await expect(device.cat("/missing")).rejects.toThrow(/ENOENT/);
  });

  test("the image is the root: sys.path, cwd and the listing are the device's", async () => {
    const run = await device.run("import sys, os\nprint(sys.path)\nprint(os.getcwd())\nprint('lib' in os.listdir('/'), 'host' in os.listdir('/'))");
    // the firmware's order: frozen modules first where the port has a ".frozen" entry (1.20 and later)
    expect(run.output[0]).toMatch(/^\['', ('\.frozen', )?'\/lib'\]$/);
    expect(run.output.slice(1)).toEqual(["/", "True False"]);
  });

  test("exceptions, sys.exit and timeouts are reported", async () => {
    const failed = await device.run("raise ValueError('boom\\nline 2')");
    expect(failed.code).toBe(1);
    expect(failed.exception).toEqual({ type: "ValueError", message: "boom\\nline 2" });
    expect(failed.stderr).toMatch(/ValueError/);
    const exited = await device.run("import sys\nsys.exit(3)");
    expect(exited).toMatchObject({ code: 3, exitValue: 3, powerCut: false });
    const hung = await device.run("while True:\n    pass", { timeoutMs: 500 });
    expect(hung.timedOut).toBe(true);
    expect(hung.code).toBeNull();
  });

  test("a snippet the unix port cannot take as an argument is refused before it runs", async () => {
    const longest = `#${"x".repeat(253)}\n`; // 255 bytes: taken
    expect((await device.run(longest)).code).toBe(0);
    await expect(device.run(`${longest}#`)).rejects.toThrow("a board command's argument is 256 bytes, over the 255 the unix port takes");
  });

  test("boot imports main.py from the image", async () => {
    await device.put(Buffer.from("print('booted', __name__)\n"), "/main.py");
    const boot = await device.boot();
    expect(boot.output).toEqual(["booted main"]);
  });
});

describe.each(FILESYSTEMS)("power cut on %s", (fs) => {
  let base: Device;
  beforeAll(async () => {
    base = await Device.create({ fs, blocks: fs === "fat" ? 512 : 64 });
    await base.put(stub("writer.py"), "/lib/writer.py");
    await base.put(stub("stubborn.py"), "/lib/stubborn.py");
  });
  afterAll(async () => {
    await base.dispose();
  });

  test("every cut point 0..n ends the process at the marker and leaves a mountable image", async () => {
    const n = await base.countWrites("import writer");
    expect(n).toBeGreaterThan(3);
    for (let k = 0; k <= n; k++) {
      const device = await base.copy();
      try {
        const run = await device.run("import writer", { cutAfterWrites: k });
        expect({ k, code: run.code, powerCut: run.powerCut, writes: run.writes }).toEqual({ k, code: POWER_CUT_EXIT, powerCut: true, writes: k });
        expect(run.lines).toContain(`HARNESS POWERCUT ${k}`);
        expect(run.output).not.toContain("writer done");
        expect(run.output).not.toContain("swallowed");
        const files = await device.ls(); // mounts again: the image survived the cut
        expect(files["/lib/writer.py"]).toBeDefined();
      } finally {
        await device.dispose();
      }
    }
    const whole = await base.copy();
    const run = await whole.run("import writer", { cutAfterWrites: n + 1 });
    expect(run).toMatchObject({ code: 0, powerCut: false, writes: n });
    expect(run.output).toContain("writer done");
    expect(Object.keys(await whole.ls())).toEqual(expect.arrayContaining(["/f0.txt", "/f1.txt", "/f2.txt"]));
    await whole.dispose();
  });

  test("writes after the cut never reach the image, even when device code swallows the cut", async () => {
    const n = await base.countWrites("import stubborn; stubborn.part1()");
    for (const k of [1, Math.floor(n / 2), n - 1]) {
      const reference = await base.copy();
      const stubborn = await base.copy();
      try {
        const ref = await reference.run("import stubborn; stubborn.part1()", { cutAfterWrites: k });
        const run = await stubborn.run("import stubborn; stubborn.main()", { cutAfterWrites: k });
        expect(ref.powerCut).toBe(true);
        expect(run).toMatchObject({ code: POWER_CUT_EXIT, powerCut: true, writes: k });
        expect(run.output).toEqual(expect.arrayContaining(["caught SystemExit", "kept going"]));
        // Images are compared file by file: littlefs stores mtimes, FAT timestamps, so bytes differ.
        const files = await stubborn.ls();
        expect(files).toEqual(await reference.ls());
        expect(Object.keys(files).filter((p) => p.startsWith("/after"))).toEqual([]);
      } finally {
        await reference.dispose();
        await stubborn.dispose();
      }
    }
  });
});

describe("heap", () => {
  test("device code runs at -X heapsize=24k with the FAT image mounted; free heap after mount is reported", async () => {
    const report: string[] = [];
    for (const fs of FILESYSTEMS) {
      const device = await Device.create({ fs });
      try {
        await device.put(stub("heap.py"), "/lib/heap.py");
        const small = await device.run("import heap", { heapBytes: 24 * 1024 });
        expect(small.code).toBe(0);
        expect(small.output[1]).toMatch(/^WORKED 32 \d+$/);
        const at32 = await device.exec([["mem"]], { heapBytes: 32 * 1024 });
        report.push(`${fs}: heapsize=24k free at device code start ${small.output[0]?.split(" ")[1]}; ` +
          `heapsize=32k free after mount ${at32.mem?.free} (alloc ${at32.mem?.alloc})`);
        expect(at32.mem?.free).toBeGreaterThan(20 * 1024);
      } finally {
        await device.dispose();
      }
    }
    console.log(`harness heap report\n${report.join("\n")}`);
  });

  // What a board has in firmware takes none of the heap the device code is given. With a port
  // given by GEN_OTA_MICROPYTHON, which need not have them frozen, there is nothing to check.
  const builtHere = process.env["GEN_OTA_MICROPYTHON"] ? test.skip : test;
  builtHere("the port built here has the board program and the machine and network stand-ins frozen in, and they run", async () => {
    const binary = findMicropython();
    expect(hasFrozenBoard(binary)).toBe(true);
    const device = await Device.create({ fs: "fat" });
    try {
      const run = await device.run("import sys, board, flash_dev, sim_machine, sim_network\nprint([sys.modules[n].__file__ for n in ('board', 'sim_machine')])");
      expect(run.code).toBe(0);
      // frozen modules are named by their file name alone; nothing was written to the image for them
      expect(run.output).toEqual(["['board.py', 'sim_machine.py']"]);
      expect(Object.keys(await device.ls())).toEqual([]);
    } finally {
      await device.dispose();
    }
  });
});

/** A GET from Node, without following redirects. */
function httpGet(url: string, headers: Record<string, string> = { "user-agent": "jest" }, timeoutMs = 5000):
  Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer; error?: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let status = 0;
    let responseHeaders: IncomingHttpHeaders = {};
    const done = (error?: string): void => resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks), ...(error ? { error } : {}) });
    const req = get(url, { headers, timeout: timeoutMs }, (res) => {
      status = res.statusCode ?? 0;
      responseHeaders = res.headers;
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => done(res.complete ? undefined : "incomplete"));
      res.on("error", (e) => done(e.message));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (e) => done(e.message));
  });
}

describe("GitHub-like server", () => {
  let server: GithubServer;
  let device: Device;
  const mainPy = "print('v1.1')\n".repeat(40);
  const releases: Release[] = [
    { version: "1.0.0", files: { "main.py": "print('v1')\n" } },
    { version: "1.1.0", files: { "main.py": mainPy, "lib/util.py": "X = 1\n", ".hidden": "no" } },
    { version: "2.0.0-beta.1", prerelease: true, files: { "main.py": "beta" } },
  ];
  beforeAll(async () => {
    server = await startGithubServer({ releases });
    device = await Device.create({ fs: "lfs2" });
    await device.put(stub("http_get.py"), "/lib/http_get.py");
  });
  afterAll(async () => {
    await server.close();
    await device.dispose();
  });

  test("assets follow docs/protocol.md", () => {
    const assets = releaseAssets(releases[1]!);
    expect(assets["ota-version"]?.toString()).toBe("1.1.0\n");
    const manifest = JSON.parse(assets["ota-manifest.json"]!.toString()) as { sequence: unknown };
    expect(assets["ota-manifest.json"]?.toString()).toBe(JSON.stringify({
      version: "1.1.0",
      sequence: manifest.sequence, // signed: see docs/protocol.md, Signatures
      boards: ["esp8266", "esp32", "rp2-pico-w", "unix"],
      files: [
        { path: "lib/util.py", size: 6, sha256: sha256("X = 1\n") },
        { path: "main.py", size: mainPy.length, sha256: sha256(mainPy) },
      ],
    }));
  });

  test("latest redirects to the newest non-prerelease on another host name; 404 and 403 like GitHub", async () => {
    const ep = serverEndpoints(server);
    const latest = await httpGet(ep.latest.replace("{asset}", "ota-version"));
    expect(latest.status).toBe(302);
    const location = new URL(String(latest.headers.location));
    expect(location.host).toBe(`localhost:${server.port}`);
    const body = await httpGet(location.href);
    expect(body).toMatchObject({ status: 200, body: Buffer.from("1.1.0\n") });
    expect(body.headers["content-length"]).toBe("6");

    expect((await httpGet(ep.release.replace("{tag}", "v9.9.9").replace("{asset}", "ota-version"))).status).toBe(404);
    expect((await httpGet(ep.release.replace("{tag}", "v1.0.0").replace("{asset}", "nope"))).status).toBe(404);
    expect((await httpGet(ep.file.replace("{tag}", "v1.0.0").replace("{path}", "missing.py"))).status).toBe(404);
    expect((await httpGet(ep.latest.replace("{asset}", "ota-version"), {})).status).toBe(403);
    expect((await httpGet(`${location.origin}${location.pathname}?sig=forged`)).status).toBe(403);
    expect((await httpGet(`${server.url}${location.pathname}${location.search}`)).status).toBe(404); // wrong host
  });

  test("a MicroPython client follows the 302 without forwarding Authorization and reads a chunked raw file", async () => {
    server.resetLog();
    const ep = serverEndpoints(server);
    const url = ep.release.replace("{tag}", "v1.1.0").replace("{asset}", "ota-manifest.json");
    const raw = ep.file.replace("{tag}", "v1.1.0").replace("{path}", "main.py");
    const run = await device.run(`import http_get\nhttp_get.get('${url}', auth='token abc')\nhttp_get.get('${raw}')`);
    expect(run.code).toBe(0);
    const manifest = releaseAssets(releases[1]!)["ota-manifest.json"]!;
    const signed = `http://localhost:${server.port}/dl/v1.1.0/ota-manifest.json?sig=`;
    expect(run.output[0]).toMatch(new RegExp(`^GOT 200 ${signed.replace(/[.?]/g, "\\$&")}[0-9a-f]+ ${manifest.length} ${sha256(manifest)}$`));
    expect(Number(run.output[1]?.split(" ")[1])).toBeGreaterThan(1);
    expect(run.output[2]).toBe(`GOT 200 ${raw} ${mainPy.length} ${sha256(mainPy)}`);

    const [first, second, third] = server.requests;
    expect(first).toMatchObject({ status: 302, host: `127.0.0.1:${server.port}`, httpVersion: "1.1" });
    expect(first?.headers.authorization).toBe("token abc");
    expect(second).toMatchObject({ status: 200, host: `localhost:${server.port}`, bytes: manifest.length });
    expect(second?.headers.authorization).toBeUndefined();
    expect(third).toMatchObject({ status: 200, bytes: mainPy.length });
    expect(server.totals()).toEqual({ requests: 3, bytes: manifest.length + mainPy.length });
  });

  test("faults: status, reset mid-body, short body, chunked cut, stall, redirects, oversize", async () => {
    const ep = serverEndpoints(server);
    const raw = ep.file.replace("{tag}", "v1.1.0").replace("{path}", "main.py");
    const isRaw = (r: { path: string }): boolean => r.path.startsWith("/raw/");

    server.setFault({ match: isRaw, once: true, kind: "status", code: 403, headers: { "x-ratelimit-remaining": "0" } });
    const limited = await httpGet(raw);
    expect(limited.status).toBe(403);
    expect(limited.headers["x-ratelimit-remaining"]).toBe("0");
    expect((await httpGet(raw)).status).toBe(200); // once

    for (const kind of ["reset-mid-body", "short-body", "chunked-cut"] as const) {
      server.setFault({ match: isRaw, once: true, kind, afterBytes: 100 });
      const cut = await httpGet(raw);
      expect({ kind, status: cut.status, length: cut.body.length, failed: cut.error !== undefined }).toEqual({ kind, status: 200, length: cut.body.length, failed: true });
      expect(cut.body.length).toBeLessThanOrEqual(100);
      expect(server.requests.at(-1)).toMatchObject({ fault: kind, bytes: 100 });
    }
    const run = await device.run(`import http_get\nhttp_get.get('${raw}')`);
    expect(run.code).toBe(0); // faults were `once`

    server.setFault({ match: isRaw, once: true, kind: "short-body" });
    const onDevice = await device.run(`import http_get\nhttp_get.get('${raw}')`);
    expect(onDevice.exception).toEqual({ type: "OSError", message: "connection closed in body" });

    server.setFault({ match: isRaw, once: true, kind: "stall" });
    expect((await httpGet(raw, undefined, 300)).error).toBe("timeout");

    server.setFault({ match: isRaw, once: true, kind: "refuse" });
    expect((await httpGet(raw)).error).toBeDefined();

    server.setFault({ match: isRaw, kind: "redirect-loop" });
    const loop = await device.run(`import http_get\nhttp_get.get('${raw}')`);
    expect(loop.exception).toEqual({ type: "OSError", message: "too many redirects" });
    server.clearFaults();

    server.setFault({ match: (r) => isRaw(r) && r.host.startsWith("127."), once: true, kind: "redirect-other-host" });
    const moved = await device.run(`import http_get\nhttp_get.get('${raw}')`);
    expect(moved.output.at(-1)).toBe(`GOT 200 ${raw.replace("127.0.0.1", "localhost")} ${mainPy.length} ${sha256(mainPy)}`);

    server.setFault({ match: isRaw, once: true, kind: "oversize", extraBytes: 1000 });
    expect((await httpGet(raw)).body.length).toBe(mainPy.length + 1000);
    server.setFault({ match: isRaw, once: true, kind: "body", body: "tampered" });
    expect((await httpGet(raw)).body.toString()).toBe("tampered");
  });

  test("raw files can be served with a Content-Length instead of chunked", async () => {
    const plain = await startGithubServer({ releases, rawChunked: false });
    try {
      const res = await httpGet(serverEndpoints(plain).file.replace("{tag}", "v1.1.0").replace("{path}", "lib/util.py"));
      expect(res).toMatchObject({ status: 200, body: Buffer.from("X = 1\n") });
      expect(res.headers["content-length"]).toBe("6");
      expect(res.headers["transfer-encoding"]).toBeUndefined();
    } finally {
      await plain.close();
    }
  });

  test("publish adds a release that latest then points to", async () => {
    server.publish({ version: "1.2.0", files: { "main.py": "v12" } });
    const redirect = await httpGet(serverEndpoints(server).latest.replace("{asset}", "ota-version"));
    const body = await httpGet(String(redirect.headers.location));
    expect(body.body.toString()).toBe("1.2.0\n");
  });

  test("a release marked latest is latest though a higher version is out (GitHub's make_latest)", async () => {
    const marked = await startGithubServer({ releases });
    try {
      marked.publish({ version: "1.0.0", files: { "main.py": "again" } }, { latest: true });
      const redirect = await httpGet(serverEndpoints(marked).latest.replace("{asset}", "ota-version"));
      expect((await httpGet(String(redirect.headers.location))).body.toString()).toBe("1.0.0\n");
    } finally {
      await marked.close();
    }
  });

  test("extra routes answer only what the site does not, and wire bytes are counted once a connection closes", async () => {
    const extra = await startGithubServer({
      releases,
      extraRoutes: (request) => (request.path.startsWith("/repos/") ? reply(200, "{}", { "content-type": "application/json" }) : undefined),
    });
    try {
      expect(await httpGet(`${extra.url}/repos/acme/widget/releases/latest`)).toMatchObject({ status: 200, body: Buffer.from("{}") });
      expect((await httpGet(`${extra.url}/elsewhere`)).status).toBe(404);
      expect((await httpGet(`${extra.url}/repos/x`, {})).status).toBe(403); // the site's own rules come first
      await extra.settle();
      expect(extra.requests.map((r) => r.status)).toEqual([200, 404, 403]);
      for (const request of extra.requests) expect(request.wireBytes).toBeGreaterThan(request.bytes);
    } finally {
      await extra.close();
    }
  });
});
