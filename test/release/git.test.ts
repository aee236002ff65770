/**
 * Releases devices can install: from the tree at a tag (never the working copy), with the config
 * in a subfolder and the app where its appPath says; and what is refused, naming the path:
 * untracked and ignored files, symbolic links, names devices cannot fetch, apps over a board's
 * budget.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadConfig } from "../../generator/config/load.js";
import { generateBoard } from "../../generator/generate.js";
import { runReleaseCommand } from "../../generator/release/command.js";
import { MAX_INDEX_BYTES, serializeVersionIndex } from "../../generator/release/version-index.js";
import { targets } from "../../targets/index.js";

const KEY = "ecSlx8qyOo2cjFPN7N/8tfGfPn+wqYB05RqBTJO0M/U=";

/** A device repo's config, with `extra` keys. */
function configText(extra: string): string {
  return `import { defineConfig } from "gen-ota";
export default defineConfig({
  repo: "octo/lamp",
  appDir: "/app",
  boards: ["esp32"],
  ${extra}
  signing: { publicKeys: ["${KEY}"] },
});
`;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

interface Run {
  code: number;
  out: string;
  err: string;
}

let repo: string;
let out: string;

function git(...args: string[]): void {
  execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", "-c", "core.quotepath=true", ...args], { cwd: repo, stdio: "ignore" });
}

function write(path: string, text: string): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}

function commitAndTag(tag: string): void {
  git("add", "-A");
  git("commit", "-qm", tag);
  git("tag", tag);
}

async function release(argv: string[], cwd = repo): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runReleaseCommand([...argv, "--out", out], { stdout: (t) => void stdout.push(t), stderr: (t) => void stderr.push(t), cwd, env: {} });
  return { code, out: stdout.join(""), err: stderr.join("") };
}

function manifest(): { version: string; files: { path: string; size: number; sha256: string }[] } {
  return JSON.parse(readFileSync(join(out, "ota-manifest.json"), "utf8")) as ReturnType<typeof manifest>;
}

beforeEach(() => {
  repo = realpathSync(mkdtempSync(join(tmpdir(), "gen-ota-release-git-")));
  out = realpathSync(mkdtempSync(join(tmpdir(), "gen-ota-release-out-")));
  git("init", "-q");
  // a device repo with its config in a subfolder, and the app beside it
  write("firmware/ota.config.ts", configText('appPath: "firmware/app",'));
  write("firmware/app/main.py", "print('1.0.0')\n");
  write("firmware/app/lib/util.py", "X = 1\n");
  write("app/main.py", "print('not the app: a folder named like appDir at the root')\n");
  commitAndTag("v1.0.0");
});

afterEach(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe("a config in a subfolder, with appPath", () => {
  test("devices fetch firmware/app/... from the tag, and release publishes that folder", async () => {
    const loaded = loadConfig("firmware/ota.config.ts", { cwd: repo, env: {} });
    if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join("\n"));
    expect(loaded.value.endpoints.file).toBe("https://raw.githubusercontent.com/octo/lamp/{tag}/firmware/app/{path}");
    const stage = generateBoard(loaded.value, targets.get("esp32")!).find((file) => file.name === "ota_stage.py");
    expect(String(stage?.contents)).toContain('"https://raw.githubusercontent.com/octo/lamp/{tag}/firmware/app/{path}"');

    const run = await release(["--tag", "v1.0.0", "--config", "firmware/ota.config.ts"]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toContain("release 1.0.0: 2 files, 21 bytes from v1.0.0:firmware/app, within the budgets of esp32");
    expect(run.out).toContain("attach ota-manifest.json, ota-version, ota-versions to the GitHub release of v1.0.0");
    expect(manifest().files).toEqual([
      { path: "lib/util.py", size: 6, sha256: sha256("X = 1\n") },
      { path: "main.py", size: 15, sha256: sha256("print('1.0.0')\n") },
    ]);
    expect(readFileSync(join(out, "ota-version"), "utf8")).toBe("1.0.0\n");
  });

  test("without appPath the app is appDir's folder at the root: release publishes app/, not firmware/app", async () => {
    write("firmware/ota.config.ts", configText(""));
    commitAndTag("v1.1.0");
    const run = await release(["--tag", "v1.1.0", "--config", "firmware/ota.config.ts"]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("from v1.1.0:app");
    expect(manifest().files.map((file) => file.path)).toEqual(["main.py"]);
    rmSync(join(repo, "app"), { recursive: true });
    commitAndTag("v1.2.0");
    const missing = await release(["--tag", "v1.2.0", "--config", "firmware/ota.config.ts"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("GEN_OTA_0714 v1.2.0:app is not a folder: the tag has no app/");
  });
});

describe("gen-ota release --tag", () => {
  test("leaves out hidden entries at the tag and names each once: a folder with a trailing /, nothing inside it", async () => {
    write("firmware/app/.env", "KEY=1\n");
    write("firmware/app/lib/.cache/a.txt", "a\n");
    write("firmware/app/lib/.cache/b.txt", "b\n");
    write("firmware/app/lib/__pycache__/util.cpython-312.pyc", "x");
    commitAndTag("v1.1.0");
    const run = await release(["--tag", "v1.1.0", "--config", "firmware/ota.config.ts"]);
    expect(run.code).toBe(0);
    expect(manifest().files.map((file) => file.path)).toEqual(["lib/util.py", "main.py"]);
    expect(run.out).toContain('  left out .env, lib/.cache/: hidden names, which devices refuse (a name starting with ".")\n');
  });

  test("reads the tree at the tag, never the working copy: edits, untracked, ignored and deleted files change nothing", async () => {
    write("firmware/app/main.py", "print('edited, not committed')\n");
    write("firmware/app/untracked.py", "u = 1\n");
    write(".gitignore", "*.log\n");
    write("firmware/app/debug.log", "ignored\n");
    unlinkSync(join(repo, "firmware/app/lib/util.py"));
    write("firmware/ota.config.ts", configText('appPath: "elsewhere",')); // the config at the tag is the one read
    const run = await release(["--tag", "v1.0.0", "--config", "firmware/ota.config.ts"]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(manifest().files).toEqual([
      { path: "lib/util.py", size: 6, sha256: sha256("X = 1\n") },
      { path: "main.py", size: 15, sha256: sha256("print('1.0.0')\n") },
    ]);
  });

  test("refuses a symbolic link in the tag, naming it", async () => {
    write("firmware/shared.py", "S = 1\n");
    symlinkSync("../shared.py", join(repo, "firmware/app/shared.py"));
    commitAndTag("v1.1.0");
    const run = await release(["--tag", "v1.1.0", "--config", "firmware/ota.config.ts"]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("GEN_OTA_0711 v1.1.0:firmware/app/shared.py is a symbolic link in git: devices fetching it from the tag get the link's target path as the file's contents");
    expect(existsSync(join(out, "ota-manifest.json"))).toBe(false);
  });

  test("refuses a non-ASCII name and one with a character devices send unencoded, naming each", async () => {
    write("firmware/app/größe.py", "g = 1\n");
    write("firmware/app/a{b}.py", "b = 1\n");
    write("firmware/app/my notes #1.txt", "fine: the device encodes ' ' and '#'\n");
    commitAndTag("v1.1.0");
    const run = await release(["--tag", "v1.1.0", "--config", "firmware/ota.config.ts"]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("GEN_OTA_0710 v1.1.0:firmware/app/größe.py has ö (U+00F6), not ASCII");
    expect(run.err).toContain("GEN_OTA_0710 v1.1.0:firmware/app/a{b}.py has '{', which devices put into the file URL unencoded");
    expect(run.err).not.toContain("my notes");
  });

  test("refuses an app over a board's flash budget, and a manifest over what it reads", async () => {
    write("firmware/ota.config.ts", configText('appPath: "firmware/app", boards: ["esp8266", "esp32"], minFirmware: "1.19",').replace('  boards: ["esp32"],\n', ""));
    write("firmware/app/blob.bin", "x".repeat(300 * 1024));
    commitAndTag("v1.1.0");
    const big = await release(["--tag", "v1.1.0", "--config", "firmware/ota.config.ts"]);
    expect(big.code).toBe(2);
    expect(big.err).toContain("GEN_OTA_0713 v1.1.0:firmware/app is 307221 bytes, over esp8266's 262144-byte flash budget for the app");
    expect(big.err).not.toContain("esp32's");
    rmSync(join(repo, "firmware/app/blob.bin"));
    for (let i = 0; i < 40; i++) write(`firmware/app/lib/module_${i}.py`, `N = ${i}\n`);
    commitAndTag("v1.2.0");
    const many = await release(["--tag", "v1.2.0", "--config", "firmware/ota.config.ts"]);
    expect(many.code).toBe(2);
    expect(many.err).toMatch(/GEN_OTA_0713 the manifest of v1\.2\.0:firmware\/app is \d+ bytes \(42 files\), over the 4096 bytes esp8266 reads/);
    expect((await release(["--tag", "v1.2.0", "--config", "firmware/ota.config.ts", "--board", "esp32"])).code).toBe(0);
  });

  test("refuses a tag that is not there, one without the tagPrefix, a --version the tag does not name, a config the tag lacks", async () => {
    const cases: [string[], string][] = [
      [["--tag", "v9.9.9"], "GEN_OTA_0714 tag 'v9.9.9' is not in the repository"],
      [["--tag", "v1.0.0", "--version", "1.0.1"], "GEN_OTA_0714 --version 1.0.1 is not the version tag 'v1.0.0' names (1.0.0)"],
      [["--tag", "v1.0.0", "--config", "ota.config.ts"], "GEN_OTA_0714 v1.0.0:ota.config.ts does not exist"],
    ];
    git("tag", "release-1.0.0");
    cases.push([["--tag", "release-1.0.0"], "GEN_OTA_0714 tag 'release-1.0.0' does not start with the config's tagPrefix 'v'"]);
    for (const [argv, message] of cases) {
      const run = await release(argv.includes("--config") ? argv : [...argv, "--config", "firmware/ota.config.ts"]);
      expect({ argv, code: run.code }).toEqual({ argv, code: 2 });
      expect(run.err).toContain(message);
    }
  });

  test("needs no secret: embedSecrets whose variables are unset at release time do not stop it", async () => {
    write("firmware/ota.config.ts", configText('appPath: "firmware/app", wifi: { ssid: secret("WIFI_SSID"), password: secret("WIFI_PASS") }, embedSecrets: ["WIFI_PASS"],').replace("{ defineConfig }", "{ defineConfig, secret }"));
    commitAndTag("v1.1.0");
    const run = await release(["--tag", "v1.1.0", "--config", "firmware/ota.config.ts"]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
  });

  test("config errors at the tag are located in the tag's file", async () => {
    write("firmware/ota.config.ts", configText('appPath: "/firmware/app",'));
    commitAndTag("v1.1.0");
    const run = await release(["--tag", "v1.1.0", "--config", "firmware/ota.config.ts"]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('v1.1.0:firmware/ota.config.ts:6:12 GEN_OTA_0223 appPath "/firmware/app" starts with a slash');
  });
});

describe("ota-versions, the version index", () => {
  test("--tag lists each minor line's newest stable version from the repo's tags, newest first, so 1.5.0 released after 2.0.0 is found", async () => {
    const cfg = ["--config", "firmware/ota.config.ts"];
    for (const tag of ["v1.2.0", "v1.2.3", "v2.0.0", "v2.1.0-rc.1", "x3.0.0", "v1.4.1", "vnext"]) git("tag", tag);
    git("tag", "v1.5.0"); // released after 2.0.0
    const run = await release(["--tag", "v1.5.0", ...cfg]);
    expect(run.code).toBe(0);
    expect(readFileSync(join(out, "ota-versions"), "utf8")).toBe("2.0.0\n1.5.0\n1.4.1\n1.2.3\n1.0.0\n");
    expect(run.out).toContain("attach ota-manifest.json, ota-version, ota-versions to the GitHub release of v1.5.0");
    expect(run.err).toBe(""); // not a shallow clone
  });

  test("--dir writes none, and removes one a --tag release left in --out", async () => {
    await release(["--tag", "v1.0.0", "--config", "firmware/ota.config.ts"]);
    expect(existsSync(join(out, "ota-versions"))).toBe(true);
    const run = await release(["--dir", "firmware/app", "--version", "1.0.1"]);
    expect(run.code).toBe(0);
    expect(existsSync(join(out, "ota-versions"))).toBe(false);
    expect(run.out).toContain("no ota-versions (--dir)");
  });

  test("past 512 bytes, older minor lines go first, never a major's newest", () => {
    const versions = ["0.1.0", "1.0.0", ...Array.from({ length: 120 }, (_, minor) => `2.${minor}.0`), "3.0.0", "2.5.1", "10.0.0-rc.1", "not.a.version"];
    const text = serializeVersionIndex(versions);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_INDEX_BYTES);
    const lines = text.trimEnd().split("\n");
    expect(lines.slice(0, 3)).toEqual(["3.0.0", "2.119.0", "2.118.0"]);
    expect(lines.slice(-2)).toEqual(["1.0.0", "0.1.0"]); // each major's newest kept
    expect(lines).not.toContain("2.5.1"); // old minor lines of 2, dropped for room (2.5.1 replaced 2.5.0)
    expect(lines).not.toContain("2.5.0");
    expect(serializeVersionIndex([])).toBe("");
  });
});

describe("gen-ota release --dir in a git work tree", () => {
  test("publishes a directory whose every file is tracked", async () => {
    const run = await release(["--dir", "firmware/app", "--version", "1.0.0"]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
  });

  test("refuses untracked and ignored files, saying which is which", async () => {
    write(".gitignore", "*.log\n");
    git("add", ".gitignore");
    write("firmware/app/new.py", "n = 1\n");
    write("firmware/app/debug.log", "x\n");
    const run = await release(["--dir", "firmware/app", "--version", "1.0.1"]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("GEN_OTA_0712 firmware/app/new.py is not tracked by git: devices fetch files from the tag, where it is not");
    expect(run.err).toContain("GEN_OTA_0712 firmware/app/debug.log is ignored by git (.gitignore)");
    expect(existsSync(join(out, "ota-manifest.json"))).toBe(false);
  });

  test("refuses a tracked symbolic link, even one inside the directory", async () => {
    symlinkSync("main.py", join(repo, "firmware/app/alias.py"));
    git("add", "-A");
    const run = await release(["--dir", "firmware/app", "--version", "1.0.1"]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("GEN_OTA_0711 firmware/app/alias.py is a symbolic link in git");
  });

  test("refuses a link that leaves the directory, in git or not", async () => {
    write("firmware/shared/util.py", "S = 1\n");
    symlinkSync("../shared", join(repo, "firmware/app/shared"));
    const run = await release(["--dir", "firmware/app", "--version", "1.0.1"]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("GEN_OTA_0711 firmware/app/shared is a symbolic link to ../shared, outside firmware/app");
    rmSync(join(repo, ".git"), { recursive: true, force: true });
    const outside = await release(["--dir", "firmware/app", "--version", "1.0.1"]);
    expect(outside.code).toBe(2);
    expect(outside.err).toContain("GEN_OTA_0711 firmware/app/shared is a symbolic link to ../shared");
  });

  test("outside git, untracked files cannot be told and are published", async () => {
    rmSync(join(repo, ".git"), { recursive: true, force: true });
    write("firmware/app/new.py", "n = 1\n");
    const run = await release(["--dir", "firmware/app", "--version", "1.0.1"]);
    expect(run.code).toBe(0);
    expect(manifest().files.map((file) => file.path)).toContain("new.py");
  });
});
