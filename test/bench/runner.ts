/**
 * Runs device code for a measurement: the board program (generator/simulate/py/board.py), which
 * board.ts runs precompiled, so that it costs only what stays live: its bytecode, the block
 * device and the mounted filesystem, which `idle` measures.
 */
import { runBoard } from "../../generator/simulate/board.js";
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
  const run = await runBoard({
    binary: device.options.micropython ?? findMicropython(), image: device.image, fs, blockSize, heapBytes, commands: [["run", snippet]], timeoutMs,
  });
  return { code: run.code, timedOut: run.timedOut, output: run.output, stdout: run.stdout, stderr: run.stderr, writes: run.writes ?? 0, ms: run.ms };
}
