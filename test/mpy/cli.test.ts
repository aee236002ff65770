import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMpyCrossCli, mpyPathFor } from "../../generator/mpy/mpy-cross-cli.js";

function capture(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), cwd }, out, err };
}

describe("gen-ota-mpy-cross", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "gen-ota-mpy-"));
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "ota.py"), "def f(x):\n    return x + 1\n");
    writeFileSync(join(dir, "main.py"), "import ota\nprint(f\"{ota}\")\n");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("writes file.mpy beside each input and exits 0", async () => {
    const { io, out, err } = capture(dir);
    const code = await runMpyCrossCli(["--abi", "6", "src/ota.py", "main.py"], io);
    expect(err.join("")).toBe("");
    expect(out.join("")).toBe("");
    expect(code).toBe(0);
    for (const output of ["src/ota.mpy", "main.mpy"]) {
      const bytes = readFileSync(join(dir, output));
      expect(Array.from(bytes.subarray(0, 2))).toEqual([0x4d, 6]);
    }
  });

  test("-o names the output of a single input; --abi=5 and -march= pass through", async () => {
    const { io } = capture(dir);
    expect(await runMpyCrossCli(["--abi=5", "-march=xtensa", "-o", "out.mpy", "src/ota.py"], io)).toBe(0);
    expect(Array.from(readFileSync(join(dir, "out.mpy")).subarray(0, 4))).toEqual([0x4d, 5, 2, 31]);
    expect(existsSync(join(dir, "src", "ota.mpy"))).toBe(false);
  });

  test("a compile error prints file:line:col and exits 2, writing nothing for that file", async () => {
    const { io, err } = capture(dir);
    const code = await runMpyCrossCli(["--abi", "5", "main.py", "src/ota.py"], io);
    expect(code).toBe(2);
    const text = err.join("");
    expect(text.split("\n")[0]).toBe("main.py:2:1 GEN_OTA_0601 SyntaxError: invalid syntax");
    expect(text).toContain('2 | print(f"{ota}")');
    expect(existsSync(join(dir, "main.mpy"))).toBe(false);
    expect(existsSync(join(dir, "src", "ota.mpy"))).toBe(true);
  });

  test("--help prints the usage and exits 0", async () => {
    const { io, out } = capture(dir);
    expect(await runMpyCrossCli(["--help"], io)).toBe(0);
    expect(out.join("")).toMatch(/^Usage: gen-ota-mpy-cross/);
  });

  test.each([
    [["--frobnicate", "main.py"], "GEN_OTA_0605", "unknown option '--frobnicate'"],
    [[], "GEN_OTA_0605", "no input file given"],
    [["--abi", "7", "main.py"], "GEN_OTA_0605", "--abi takes 5 or 6, not '7'"],
    [["-o", "x.mpy", "main.py", "src/ota.py"], "GEN_OTA_0605", "-o names one output"],
    [["-march=pdp11", "main.py"], "GEN_OTA_0602", "has no architecture 'pdp11'"],
    [["missing.py"], "GEN_OTA_0606", "cannot read missing.py"],
  ])("%j is an error with exit code 2", async (argv, code, message) => {
    const { io, err } = capture(dir);
    expect(await runMpyCrossCli(argv, io)).toBe(2);
    expect(err.join("")).toContain(code);
    expect(err.join("")).toContain(message);
  });

  test("mpyPathFor swaps .py for .mpy", () => {
    expect(mpyPathFor("a/b.py")).toBe("a/b.mpy");
    expect(mpyPathFor("noext")).toBe("noext.mpy");
  });
});
