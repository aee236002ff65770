/**
 * The package as users get it: `npm pack`, installed into a fresh device repo without network,
 * then `npx gen-ota` init, generate, bundle and simulate (embedded: MicroPython in WebAssembly,
 * no unix port). Catches what the in-repo tests cannot: a file left out of `files`, a bin that
 * does not start, a dependency only this repo's devDependencies provide.
 *
 * Offline install: the tarball is extracted to node_modules/gen-ota, and each of its declared
 * dependencies is linked from this repo's node_modules (npm install --offline needs them in the
 * npm cache, which a CI runner does not have), with the bins linked as npm links them.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(".");
const built = existsSync(join(ROOT, "dist/generator/cli.js"));
if (!built) {
  if (process.env["CI"] === "true") throw new Error("tarball test: dist/ is missing; npm run build first");
  console.log("tarball test skipped: dist/ is missing (npm run build first)");
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "gen-ota-tarball-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a command in the device repo; its exit code and output. */
function run(command: string, args: string[], cwd: string): { code: number; out: string } {
  const done = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_offline: "true", npm_config_update_notifier: "false" }, timeout: 120_000 });
  return { code: done.status ?? -1, out: `${done.stdout ?? ""}${done.stderr ?? ""}` };
}

/** Installs the packed tarball into `repo` as npm would, with no network (see the header). */
function installOffline(tarball: string, repo: string): void {
  const target = join(repo, "node_modules/gen-ota");
  mkdirSync(target, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
  const manifest = JSON.parse(readFileSync(join(target, "package.json"), "utf8")) as { dependencies?: Record<string, string>; bin?: Record<string, string> };
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    const link = join(target, "node_modules", name);
    mkdirSync(join(link, ".."), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", name), link, "dir");
  }
  mkdirSync(join(repo, "node_modules/.bin"), { recursive: true });
  for (const [name, path] of Object.entries(manifest.bin ?? {})) {
    chmodSync(join(target, path), 0o755);
    symlinkSync(join("..", "gen-ota", path), join(repo, "node_modules/.bin", name));
  }
}

(built ? test : test.skip)(
  "npm pack, installed offline into a fresh repo: init, generate, bundle and simulate --runtime embedded each exit 0",
  () => {
    const pack = run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], ROOT);
    expect(pack.code).toBe(0);
    const tarball = join(work, readdirSync(work).find((name) => name.endsWith(".tgz"))!);
    const repo = join(work, "repo");
    mkdirSync(repo);
    const git = (...args: string[]): void => void execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", ...args], { cwd: repo, stdio: "ignore" });
    git("init", "-q");
    git("remote", "add", "origin", "https://github.com/acme/plant-monitor.git");
    run("npm", ["init", "-y"], repo);
    installOffline(tarball, repo);
    expect(existsSync(join(repo, "node_modules/gen-ota/docs/protocol.md"))).toBe(true); // docs/ ships

    const npx = (...args: string[]) => run("npx", ["--no-install", "gen-ota", ...args], repo);
    const init = npx("init", "--board", "esp32");
    expect(init).toMatchObject({ code: 0 });
    for (const path of ["ota.config.ts", "app/main.py", ".github/workflows/release.yml"]) expect(existsSync(join(repo, path))).toBe(true);
    const generate = npx();
    expect(generate.out).not.toMatch(/error/i);
    expect(generate.code).toBe(0);
    for (const file of ["main.py", "ota.py", "ota_fetch.py", ".gen-ota.json"]) expect(existsSync(join(repo, "device/esp32", file))).toBe(true);
    expect(npx("bundle", "--board", "esp32", "--version", "0.1.0").code).toBe(0);
    expect(readFileSync(join(repo, "bundle/esp32/app/.version"), "utf8")).toBe("0.1.0");

    git("add", "-A");
    git("commit", "-qm", "0.1.0");
    git("tag", "v0.1.0");
    appendFileSync(join(repo, "app/main.py"), "# 0.2.0\n");
    git("commit", "-qam", "0.2.0");
    git("tag", "v0.2.0");
    const simulate = npx("simulate", "--board", "esp32", "--from", "v0.1.0", "--to", "v0.2.0", "--runtime", "embedded");
    expect(simulate.out.trim().split("\n").at(-1)).toMatch(/^PASS: esp32 moves from 0\.1\.0 to 0\.2\.0/);
    expect(simulate.code).toBe(0);
  },
  240_000,
);
