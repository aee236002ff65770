import { compileMpy } from "../../generator/mpy/compile.js";
import { readMpyHeader } from "../../generator/mpy/header.js";
import { tracebackDiagnostic } from "../../generator/mpy/traceback.js";
import { formatDiagnostic } from "../../generator/diagnostics.js";

const VALID = "import sys\n\ndef add(a, b):\n    return a + b\n\nprint(add(1, 2))\n";
const F_STRING = "x = 1\ny = f\"{x}\"\nprint(y)\n";

describe("compileMpy", () => {
  test.each([5, 6] as const)("compiles valid code for ABI %i", async (abi) => {
    const result = await compileMpy(VALID, "ota.py", { abi });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const bytes = result.value;
    expect(bytes[0]).toBe(0x4d); // 'M'
    expect(bytes[1]).toBe(abi);
    const header = readMpyHeader(bytes);
    expect(header).toEqual({
      ok: true,
      warnings: [],
      value: {
        version: abi,
        flags: abi === 5 ? 0b10 : 0, // v5: unicode flag; v6: sub-version 0 for bytecode
        subVersion: abi === 5 ? null : 0,
        arch: null,
        archCode: 0,
        smallIntBits: 31,
      },
    });
  });

  test("writes the architecture into the header for native code", async () => {
    const native = "import micropython\n\n@micropython.native\ndef f():\n    return 1\n";
    const v5 = await compileMpy(native, "n.py", { abi: 5, arch: "xtensa" });
    const v6 = await compileMpy(native, "n.py", { abi: 6, arch: "xtensawin" });
    if (!v5.ok || !v6.ok) throw new Error("native compile failed");
    expect(Array.from(v5.value.subarray(0, 4))).toEqual([0x4d, 5, (9 << 2) | 0b10, 31]);
    expect(Array.from(v6.value.subarray(0, 4))).toEqual([0x4d, 6, 10 << 2, 31]);
    const header = readMpyHeader(v6.value);
    expect(header.ok && header.value.arch).toBe("xtensawin");
  });

  test("an f-string fails on ABI 5 at its line, with a hint, and passes on ABI 6", async () => {
    const v5 = await compileMpy(F_STRING, "ota.py", { abi: 5 });
    expect(v5.ok).toBe(false);
    if (v5.ok) return;
    expect(v5.diagnostics).toHaveLength(1);
    const [diagnostic] = v5.diagnostics;
    expect(diagnostic).toMatchObject({
      code: "GEN_OTA_0601",
      severity: "error",
      message: "SyntaxError: invalid syntax",
      location: { file: "ota.py", line: 2, column: 1, lineText: 'y = f"{x}"' },
    });
    expect(diagnostic?.hint).toMatch(/f-strings/);
    expect(formatDiagnostic(diagnostic!).split("\n")[0]).toBe("ota.py:2:1 GEN_OTA_0601 SyntaxError: invalid syntax");

    const v6 = await compileMpy(F_STRING, "ota.py", { abi: 6 });
    expect(v6.ok).toBe(true);
  });

  test("a syntax error names file:line, the statement on it, and no f-string hint", async () => {
    const source = "def ok():\n    pass\n\n    def broken(:\n        pass\n";
    const result = await compileMpy(source, "src/main.py", { abi: 6 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]).toMatchObject({
      code: "GEN_OTA_0601",
      message: "SyntaxError: invalid syntax",
      location: { file: "src/main.py", line: 4, column: 5, lineText: "    def broken(:", length: "def broken(:".length },
    });
    expect(result.diagnostics[0]?.hint).toBeUndefined();
  });

  test("other compile errors keep mpy-cross's message", async () => {
    const result = await compileMpy("x = 1\n  y = 2\n", "a.py", { abi: 5 });
    expect(!result.ok && result.diagnostics[0]).toMatchObject({
      message: "IndentationError: unexpected indent",
      location: { file: "a.py", line: 2 },
    });
  });

  test("an unknown -march is refused before mpy-cross runs", async () => {
    const result = await compileMpy(VALID, "ota.py", { abi: 5, arch: "armv6m" });
    expect(!result.ok && result.diagnostics[0]).toMatchObject({ code: "GEN_OTA_0602" });
  });

  test("an ABI gen-ota has no mpy-cross for, and a failure without a traceback, are tool failures", async () => {
    const result = await compileMpy(VALID, "ota.py", { abi: 7 as 5 });
    expect(!result.ok && result.diagnostics[0]).toMatchObject({ code: "GEN_OTA_0603", message: expect.stringContaining("no mpy-cross for mpy ABI 7") });
    expect(tracebackDiagnostic(["out of memory"], VALID, "ota.py", 6)).toMatchObject({ code: "GEN_OTA_0603" });
  });

  test("concurrent calls are serialized and each gets its own answer", async () => {
    const sources = Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? `x = ${i}\n` : `x = (\n`));
    const results = await Promise.all(sources.map((source, i) => compileMpy(source, `f${i}.py`, { abi: (i % 3 === 0 ? 5 : 6) })));
    results.forEach((result, i) => {
      expect(result.ok).toBe(i % 2 === 0);
      if (!result.ok) expect(result.diagnostics[0]?.location?.file).toBe(`f${i}.py`);
    });
  });

  test("restores globalThis.fetch and leaves no process listeners behind", async () => {
    const fetchBefore = globalThis.fetch;
    const before = [process.listenerCount("uncaughtException"), process.listenerCount("unhandledRejection")];
    await compileMpy(VALID, "ota.py", { abi: 6 });
    await compileMpy(VALID, "ota.py", { abi: 5 });
    expect(globalThis.fetch).toBe(fetchBefore);
    expect([process.listenerCount("uncaughtException"), process.listenerCount("unhandledRejection")]).toEqual(before);
  });
});
