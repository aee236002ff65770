import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildManifest } from "../../generator/release/build.js";
import { serializeManifest } from "../../generator/release/manifest.js";
import { expectGolden } from "../golden/golden-file.js";
import { COLLIDING_NAMES } from "./colliding-names.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/release/", import.meta.url));
const APP = join(FIXTURES, "app");

function codes(result: ReturnType<typeof buildManifest>): string[] {
  return result.ok ? [] : result.diagnostics.map((d) => d.code);
}

function messages(result: ReturnType<typeof buildManifest>): string {
  return result.ok ? "" : result.diagnostics.map((d) => `${d.message} (${d.hint ?? ""})`).join("\n");
}

describe("buildManifest", () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), "gen-ota-release-"));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  test("matches the committed manifest byte for byte", () => {
    const result = buildManifest(APP, "1.4.2");
    if (!result.ok) throw new Error(messages(result));
    expectGolden(join(FIXTURES, "expected", "ota-manifest.json"), result.value.manifestJson);
    expectGolden(join(FIXTURES, "expected", "ota-version"), result.value.versionText);
    expect(result.value.manifestJson).toBe(serializeManifest(result.value.manifest));
  });

  test("sorts by /-path bytes, nests directories, skips hidden files", () => {
    const result = buildManifest(APP, "1.4.2");
    if (!result.ok) throw new Error(messages(result));
    expect(result.value.manifest.files.map((f) => f.path)).toEqual([
      "config.py",
      "lib/Zeta.py",
      "lib/net/http.py",
      "lib/util.py",
      "main.py",
    ]);
    const json = result.value.manifestJson;
    expect(json).not.toMatch(/\.notes|\.scratch/);
    expect(Object.keys(JSON.parse(json) as object)).toEqual(["version", "files"]);
    expect(json).toMatch(/^\{"version":"1\.4\.2","files":\[\{"path":"config\.py","size":16,"sha256":"[0-9a-f]{64}"\},/);
  });

  test("skips __pycache__ and hidden directories, follows a symlinked file", () => {
    const app = join(scratch, "app");
    cpSync(APP, app, { recursive: true });
    mkdirSync(join(app, "__pycache__"));
    writeFileSync(join(app, "__pycache__", "main.cpython-312.pyc"), "x");
    mkdirSync(join(app, ".git"));
    writeFileSync(join(app, ".git", "HEAD"), "ref");
    symlinkSync(join(app, "config.py"), join(app, "linked.py"));
    const result = buildManifest(app, "1.4.2");
    if (!result.ok) throw new Error(messages(result));
    const paths = result.value.manifest.files.map((f) => f.path);
    expect(paths).toContain("linked.py");
    expect(paths.some((p) => p.includes("__pycache__") || p.includes(".git"))).toBe(false);
  });

  test("hashes a file larger than one read chunk", () => {
    const app = join(scratch, "big");
    mkdirSync(app);
    const blob = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 251));
    writeFileSync(join(app, "blob.bin"), blob);
    const result = buildManifest(app, "0.1.0");
    if (!result.ok) throw new Error(messages(result));
    const sha256 = createHash("sha256").update(blob).digest("hex");
    expect(result.value.manifest.files).toEqual([{ path: "blob.bin", size: 200_000, sha256 }]);
  });

  test.each([
    ["v1.4.2", /starts with 'v'.*drop the 'v': --version 1\.4\.2/s],
    ["1.4", /not a semver version/],
    ["latest", /not a semver version/],
    ["1.4.2+build.7", /devices compare it as '1\.4\.2'/],
    ["", /not a semver version/],
  ])("refuses version %j", (version, message) => {
    const result = buildManifest(APP, version);
    expect(codes(result)).toEqual(["GEN_OTA_0701"]);
    expect(messages(result)).toMatch(message);
  });

  test("accepts a prerelease version", () => {
    const result = buildManifest(APP, "2.0.0-rc.1");
    expect(result.ok && result.value.versionText).toBe("2.0.0-rc.1\n");
  });

  test("refuses a missing directory and a file given as the directory", () => {
    expect(codes(buildManifest(join(scratch, "nope"), "1.0.0"))).toEqual(["GEN_OTA_0702"]);
    expect(messages(buildManifest(join(APP, "main.py"), "1.0.0"))).toMatch(/is not a directory/);
  });

  test("refuses an app directory with nothing to publish", () => {
    writeFileSync(join(scratch, ".only-hidden"), "x");
    expect(codes(buildManifest(scratch, "1.0.0"))).toEqual(["GEN_OTA_0705"]);
  });

  test.each([
    ["a:b.py", "':'"],
    ["back\\slash.py", "'\\'"],
    ["tab\there.py", "U+0009"],
    ["what?.py", "'?'"],
    ["trailing.", "ending in a space or '.'"],
  ])("refuses the file name %j", (name, what) => {
    writeFileSync(join(scratch, "ok.py"), "x");
    writeFileSync(join(scratch, name), "x");
    const result = buildManifest(scratch, "1.0.0", { shownDir: "app" });
    expect(codes(result)).toEqual(["GEN_OTA_0703"]);
    expect(messages(result)).toContain(`app/${name} has ${what}`.replace("has ending", "has a name ending"));
  });

  test.each([
    ["OTA_Fetch.py", "is a name the updater keeps for itself (ota*.py, in any case)"],
    ["boot.mpy", "is a name the updater keeps for itself (boot.mpy, in any case)"],
  ])("refuses %s at the top of the app, which every device would refuse", (name, what) => {
    writeFileSync(join(scratch, name), "x");
    mkdirSync(join(scratch, "lib"));
    writeFileSync(join(scratch, "lib", name), "x"); // in a folder it stands in for nothing
    const result = buildManifest(scratch, "1.0.0", { shownDir: "app" });
    expect(codes(result)).toEqual(["GEN_OTA_0715"]);
    expect(messages(result)).toContain(`app/${name} ${what}`);
  });

  test("refuses a path longer than devices accept, and takes one of exactly that length", () => {
    const folder = "d".repeat(60);
    mkdirSync(join(scratch, folder));
    const longest = `${folder}/${"f".repeat(120 - folder.length - 4)}.py`; // 120 characters
    writeFileSync(join(scratch, longest), "x");
    expect(codes(buildManifest(scratch, "1.0.0"))).toEqual([]);
    writeFileSync(join(scratch, `${folder}/${"f".repeat(120 - folder.length - 3)}.py`), "x");
    const result = buildManifest(scratch, "1.0.0", { shownDir: "app" });
    expect(codes(result)).toEqual(["GEN_OTA_0715"]);
    expect(messages(result)).toContain("is 121 characters long: devices refuse a release with a path over 120");
  });

  test("refuses two names that share the key devices tell names apart by", () => {
    mkdirSync(join(scratch, "lib"));
    for (const name of COLLIDING_NAMES) writeFileSync(join(scratch, name), "x");
    const result = buildManifest(scratch, "1.0.0", { shownDir: "app" });
    expect(codes(result)).toEqual(["GEN_OTA_0715"]);
    expect(messages(result)).toContain(`app/${COLLIDING_NAMES[0].toLowerCase()} and app/${COLLIDING_NAMES[1].toLowerCase()} share the 30-bit key`);
  });

  test("refuses names that differ only in case, for files and directories", () => {
    writeFileSync(join(scratch, "Main.py"), "x");
    writeFileSync(join(scratch, "main.py"), "y");
    mkdirSync(join(scratch, "Lib"));
    mkdirSync(join(scratch, "lib"));
    writeFileSync(join(scratch, "Lib", "a.py"), "a");
    writeFileSync(join(scratch, "lib", "b.py"), "b");
    const result = buildManifest(scratch, "1.0.0", { shownDir: "app" });
    expect(codes(result)).toEqual(["GEN_OTA_0704", "GEN_OTA_0704"]);
    expect(messages(result)).toContain("app/Lib and app/lib differ only in case");
    expect(messages(result)).toContain("app/Main.py and app/main.py differ only in case");
  });

  test("refuses a directory symlink loop instead of walking forever", () => {
    mkdirSync(join(scratch, "lib"));
    writeFileSync(join(scratch, "lib", "a.py"), "a");
    symlinkSync(scratch, join(scratch, "lib", "loop"));
    const result = buildManifest(scratch, "1.0.0");
    expect(codes(result)).toEqual(["GEN_OTA_0706"]);
    expect(messages(result)).toMatch(/lib\/loop links back/);
  });

  test("reports every problem at once", () => {
    writeFileSync(join(scratch, "a:b.py"), "x");
    const result = buildManifest(scratch, "v1");
    expect(codes(result).sort()).toEqual(["GEN_OTA_0701", "GEN_OTA_0703"]);
  });
});
