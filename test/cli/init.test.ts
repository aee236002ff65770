/** gen-ota init: a new device repo whose first commands (generate, bundle, simulate) all work. */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../generator/cli.js";

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "gen-ota-init-"));
  git("init", "-q");
  git("remote", "add", "origin", "git@github.com:acme/plant-monitor.git");
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

function git(...args: string[]): void {
  execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", ...args], { cwd: repo, stdio: "ignore" });
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: repo, env: {} });
  return { code, stdout, stderr };
}

test("init, then generate, bundle and simulate between two tags: no dead end", async () => {
  const init = await cli(["init", "--board", "esp32,rp2-pico-w"]);
  expect(init.stderr).toBe("");
  expect(init.code).toBe(0);
  expect(readFileSync(join(repo, "ota.config.ts"), "utf8")).toContain('repo: "acme/plant-monitor"'); // from the remote
  for (const path of ["app/main.py", ".github/workflows/release.yml", ".github/workflows/simulate.yml", ".gitattributes", ".gitignore"]) {
    expect(existsSync(join(repo, path))).toBe(true);
  }
  expect(readFileSync(join(repo, ".github/workflows/release.yml"), "utf8")).toContain("ref: \"${{ github.event.release.tag_name }}\"");
  expect(readFileSync(join(repo, ".github/workflows/simulate.yml"), "utf8")).toContain('board: ["esp32", "rp2-pico-w"]');
  expect(readFileSync(join(repo, ".github/workflows/release.yml"), "utf8")).toContain('npx gen-ota release --tag "$GITHUB_REF_NAME" --out release-assets');

  const generate = await cli([]);
  expect(generate.stderr).toContain("GEN_OTA_0306"); // unsigned until the user makes a key: said, not refused
  expect(generate.stderr).not.toContain("error");
  expect(generate.code).toBe(0);
  expect((await cli(["--check"])).code).toBe(0);
  const bundle = await cli(["bundle", "--board", "esp32", "--version", "0.1.0"]);
  expect(bundle.code).toBe(0);
  expect(readFileSync(join(repo, "bundle/esp32/app/.version"), "utf8")).toBe("0.1.0");

  git("add", "-A");
  git("commit", "-qm", "0.1.0");
  git("tag", "v0.1.0");
  appendFileSync(join(repo, "app/main.py"), "# 0.2.0\n");
  git("commit", "-qam", "0.2.0");
  git("tag", "v0.2.0");
  const simulate = await cli(["simulate", "--board", "esp32", "--from", "v0.1.0", "--to", "v0.2.0"]);
  expect(simulate.stdout.trim().split("\n").at(-1)).toMatch(/^PASS: esp32 moves from 0\.1\.0 to 0\.2\.0, confirmed/);
  expect(simulate.code).toBe(0);
  const release = await cli(["release", "--tag", "v0.2.0", "--out", "release-assets"]); // as the release workflow runs it
  expect(release.stderr).toBe("");
  expect(release.code).toBe(0);
  expect(readFileSync(join(repo, "release-assets/ota-version"), "utf8")).toBe("0.2.0\n");
});

test("a repo with any of the files already is left alone, and bad flags are named", async () => {
  writeFileSync(join(repo, ".gitignore"), "mine\n");
  const again = await cli(["init", "--board", "esp32"]);
  expect(again.code).toBe(2);
  expect(again.stderr).toContain("GEN_OTA_0906 .gitignore exists already: init wrote nothing");
  expect(existsSync(join(repo, "ota.config.ts"))).toBe(false);
  expect(readFileSync(join(repo, ".gitignore"), "utf8")).toBe("mine\n");
  const bad = await cli(["init", "--board", "esp3", "--app-dir", "app", "--repo", "nope"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("GEN_OTA_0906 --board esp3: no such board");
  expect(bad.stderr).toContain("--app-dir app: an absolute folder on the board");
  expect(bad.stderr).toContain("--repo nope: use owner/name");
});

test("an esp8266 repo's first generate is not refused on the heap, and names no minFirmware it does not need", async () => {
  expect((await cli(["init", "--board", "esp8266"])).code).toBe(0);
  const config = readFileSync(join(repo, "ota.config.ts"), "utf8");
  // the .mpy output fits ESP8266's heap on its oldest firmware (targets/measured-heap.json)
  expect(config).not.toContain("minFirmware");
  const generate = await cli([]);
  expect(generate.stderr).not.toContain("GEN_OTA_0305");
  expect(generate.code).toBe(0);
});
