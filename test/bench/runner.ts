/**
 * Runs device code for a measurement: the rig's harness.py, precompiled to .mpy.
 *
 * The rig runs harness.py from source, and compiling it peaks at about 14 KB of heap before any
 * device code starts, which would hide everything smaller. Imported as .mpy (`micropython -m
 * harness` beside harness.mpy) it costs only what stays live: its bytecode, the block device and
 * the mounted filesystem, which `idle` measures. Same commands, same output lines.
 */
import { rmSync } from "node:fs";
import { runProcess } from "../../generator/simulate/process.js";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileMpy } from "../../generator/mpy/compile.js";
import type { Device } from "../runtime/device.js";
import { findMicropython } from "../runtime/micropython.js";

/** What one measured process did. */
export interface Run {
  code: number | null;
  timedOut: boolean;
  /** The device code's lines (harness lines left out). */
  output: string[];
  stdout: string;
  stderr: string;
  /** Block writes to the image. */
  writes: number;
  /** Wall time of the whole process, start to exit. */
  ms: number;
}

let harnessDir: Promise<string> | undefined;

/** A temporary directory holding harness.mpy (compiled once per process). */
function harness(): Promise<string> {
  harnessDir ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "gen-ota-bench-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const source = await readFile(fileURLToPath(new URL("../runtime/harness.py", import.meta.url)), "utf8");
    const compiled = await compileMpy(source, "harness.py", { abi: 6 });
    if (!compiled.ok) throw new Error(`harness.py: ${JSON.stringify(compiled.diagnostics)}`);
    await writeFile(join(dir, "harness.mpy"), compiled.value);
    return dir;
  })();
  return harnessDir;
}

/**
 * Longest snippet passed on the command line. The unix port turns each argument into a qstr, and
 * one of 256 bytes or more leaves the process unable to raise any exception afterwards ("FATAL:
 * uncaught NLR"): a longer snippet is written to the image as a module and imported instead.
 */
const ARGV_SNIPPET_MAX = 200;

/** Runs `snippet` on `device`'s image (writes reach it) with a `heapBytes` GC heap. */
export async function runSnippet(device: Device, snippet: string, heapBytes: number, timeoutMs = 30_000): Promise<Run> {
  if (Buffer.byteLength(snippet) > ARGV_SNIPPET_MAX) {
    await device.put(Buffer.from(snippet), "/bench_snippet.py");
    snippet = "import bench_snippet";
  }
  const { fs, blockSize } = device.options;
  const fsArg = blockSize === (fs === "fat" ? 512 : 4096) ? fs : `${fs}:${blockSize}`;
  const args = ["-X", `heapsize=${heapBytes}`, "-m", "harness", device.image, fsArg, "-1", "run", snippet];
  const cwd = await harness();
  const started = process.hrtime.bigint();
  const result = await runProcess(findMicropython(), args, { cwd, timeoutMs });
  const lines = result.stdout.split("\n").filter((line) => line !== "");
  const writes = Number(lines.find((line) => line.startsWith("HARNESS WRITES "))?.split(" ")[2] ?? 0);
  const output = lines.filter((line) => !line.startsWith("HARNESS "));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { code: result.code, timedOut: result.timedOut, output, stdout: result.stdout, stderr: result.stderr, writes, ms };
}
