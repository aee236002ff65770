import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runReleaseCommand } from "../../generator/release/command.js";
import { writeRelease } from "../../generator/release/write.js";
import { buildManifest } from "../../generator/release/build.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/release/", import.meta.url));

function capture(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), cwd }, out, err };
}

describe("gen-ota release", () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), "gen-ota-release-cmd-"));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  test("writes both files, byte for byte, and prints a summary", async () => {
    const { io, out, err } = capture(FIXTURES);
    const code = await runReleaseCommand(["--dir", "app", "--version", "1.4.2", "--out", join(scratch, "dist")], io);
    expect(err.join("")).toBe("");
    expect(code).toBe(0);
    for (const name of ["ota-manifest.json", "ota-version"]) {
      expect(readFileSync(join(scratch, "dist", name))).toEqual(readFileSync(join(FIXTURES, "expected", name)));
    }
    expect(readdirSync(join(scratch, "dist")).sort()).toEqual(["ota-manifest.json", "ota-version"]);
    const summary = out.join("");
    expect(summary).toContain("release 1.4.2: 5 files, 264 bytes from app");
    expect(summary).toContain('  left out .notes, lib/.scratch.py: hidden names, which devices refuse (a name starting with ".")\n');
    expect(summary).toContain(`wrote ${join(scratch, "dist", "ota-manifest.json")}`);
  });

  test("--out defaults to the working directory, and --flag=value works", async () => {
    const { io, out } = capture(scratch);
    const code = await runReleaseCommand([`--dir=${join(FIXTURES, "app")}`, "--version=1.4.2"], io);
    expect(code).toBe(0);
    expect(readFileSync(join(scratch, "ota-version"), "utf8")).toBe("1.4.2\n");
    expect(out.join("")).toContain("wrote ota-manifest.json");
  });

  test("refuses an --out inside the app directory", async () => {
    const { io, err } = capture(join(FIXTURES, "app"));
    expect(await runReleaseCommand(["--dir", ".", "--version", "1.4.2"], io)).toBe(2);
    expect(err.join("")).toContain("inside the app directory");
    expect(existsSync(join(FIXTURES, "app", "ota-version"))).toBe(false);
  });

  test("prints diagnostics and exits 2 on a bad version, naming the dir as given", async () => {
    const { io, err } = capture(FIXTURES);
    expect(await runReleaseCommand(["--dir", "nowhere", "--version", "v1.4.2", "--out", scratch], io)).toBe(2);
    const text = err.join("");
    expect(text).toContain("GEN_OTA_0701 version 'v1.4.2' starts with 'v'");
    expect(text).toContain("hint: drop the 'v': --version 1.4.2");
    expect(text).toContain("GEN_OTA_0702 nowhere does not exist");
    expect(readdirSync(scratch)).toEqual([]);
  });

  test("a flag it does not know is a usage error", async () => {
    const { io, err } = capture(scratch);
    expect(await runReleaseCommand(["--frobnicate"], io)).toBe(2);
    expect(err.join("")).toMatch(/GEN_OTA_0708 .*--frobnicate/);
    expect(readdirSync(scratch)).toEqual([]);
  });

  test("--help prints the usage and exits 0", async () => {
    const { io, out } = capture(scratch);
    expect(await runReleaseCommand(["--help"], io)).toBe(0);
    expect(out.join("")).toMatch(/^Usage: gen-ota release --tag TAG \[--config F\]/);
  });

  test.each([
    [["--dir", "app", "--version", "1.0.0", "--force"], "unknown option '--force'"],
    [["--dir", "app"], "--version X is required"],
    [["--version", "1.0.0"], "--tag TAG (or --dir <appDir> --version X) is required"],
    [["--tag", "v1.0.0", "--dir", "app"], "--tag and --dir are two ways to say what to publish: give one"],
    [["--dir", "app", "--version", "1.0.0", "--config", "ota.config.ts"], "--config is read with --tag only"],
    [["--dir"], "--dir needs a value"],
    [["--dir", "a", "--dir", "b", "--version", "1.0.0"], "--dir is given twice"],
    [["app", "--version", "1.0.0", "--dir", "app"], "unexpected argument 'app'"],
  ])("%j exits 2 with a clear message", async (argv, message) => {
    const { io, err } = capture(FIXTURES);
    expect(await runReleaseCommand(argv, io)).toBe(2);
    expect(err.join("")).toContain(message);
  });
});

describe("writeRelease", () => {
  test("replaces existing files, creates a missing directory, leaves no temp files", () => {
    const out = mkdtempSync(join(tmpdir(), "gen-ota-write-"));
    try {
      writeFileSync(join(out, "ota-version"), "0.0.1\n");
      const built = buildManifest(join(FIXTURES, "app"), "1.4.2");
      if (!built.ok) throw new Error("build failed");
      expect(writeRelease(out, built.value).ok).toBe(true);
      expect(readFileSync(join(out, "ota-version"), "utf8")).toBe("1.4.2\n");
      expect(readdirSync(out).sort()).toEqual(["ota-manifest.json", "ota-version"]);
      const nested = join(out, "new", "dir");
      expect(writeRelease(nested, built.value)).toEqual({
        ok: true,
        warnings: [],
        value: { manifestPath: join(nested, "ota-manifest.json"), versionPath: join(nested, "ota-version") },
      });
      expect(readdirSync(nested).sort()).toEqual(["ota-manifest.json", "ota-version"]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test("reports an unwritable place as a diagnostic", () => {
    const out = mkdtempSync(join(tmpdir(), "gen-ota-write-"));
    try {
      writeFileSync(join(out, "file"), "x");
      const built = buildManifest(join(FIXTURES, "app"), "1.4.2");
      if (!built.ok) throw new Error("build failed");
      const written = writeRelease(join(out, "file"), built.value);
      expect(!written.ok && written.diagnostics[0]?.code).toBe("GEN_OTA_0707");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
