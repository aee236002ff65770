/**
 * Device-side CPU cost per KB of read + sha256 + write on the unix port of this host: a bare
 * loop over one preallocated chunk, next to gen-ota's own streaming function (ota_stage._pump)
 * on the same file. Timed from outside, as the difference between the median process time of
 * streaming the file PASSES times and that of only setting it up. Host figures: a board runs
 * the same loop tens of times slower; the ratio between the two is what carries over.
 */
import type { Target } from "../../targets/index.js";
import type { Device } from "../runtime/device.js";
import { median } from "./measure.js";
import { runSnippet } from "./runner.js";

/** KB in the file, and times it is streamed per process. */
export const CPU_KB = 128;
const PASSES = 32;
const RUNS = 5;

const setup = (chunk: number): string =>
  [
    "import hashlib, binascii, ota, ota_stage",
    `CHUNK = ${chunk}`,
    "buf = bytearray(CHUNK)",
    "for i in range(CHUNK):",
    "    buf[i] = (i * 7) & 255",
    "with open('/cpu-src.bin', 'wb') as f:",
    `    for i in range(${CPU_KB} * 1024 // CHUNK):`,
    "        f.write(buf)",
    "digest = hashlib.sha256()",
    `for i in range(${CPU_KB} * 1024 // CHUNK):`,
    "    digest.update(buf)",
    `entry = {'path': 'cpu.bin', 'size': ${CPU_KB} * 1024, 'sha256': binascii.hexlify(digest.digest()).decode()}`,
  ].join("\n");

const bareLoop = [
  "def stream():",
  "    view = memoryview(buf)",
  "    digest = hashlib.sha256()",
  "    with open('/cpu-src.bin', 'rb') as src:",
  "        with open('/cpu-dst.bin', 'wb') as dst:",
  "            while True:",
  "                n = src.readinto(buf)",
  "                if not n:",
  "                    break",
  "                digest.update(view[:n])",
  "                dst.write(view[:n])",
  `for i in range(${PASSES}):`,
  "    stream()",
].join("\n");

const genOtaPump = [
  `for i in range(${PASSES}):`,
  "    with open('/cpu-src.bin', 'rb') as src:",
  "        ota_stage._pump(src, '/cpu-dst.bin', entry)",
].join("\n");

async function wallMs(device: Device, snippet: string): Promise<number> {
  const result = await runSnippet(device, `${snippet}\nprint('BENCH done')`, 256 * 1024);
  if (!result.output.includes("BENCH done")) throw new Error(`bench cpu:\n${result.stdout}${result.stderr}`);
  return result.ms;
}

/** µs per KB of the bare loop and of gen-ota's _pump, on `device` (a gen-ota device of the board). */
export async function cpuPerKb(device: Device, board: Target): Promise<{ bare: number; genOta: number }> {
  const base: number[] = [];
  const bare: number[] = [];
  const pump: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    base.push(await wallMs(device, setup(board.chunkSize)));
    bare.push(await wallMs(device, `${setup(board.chunkSize)}\n${bareLoop}`));
    pump.push(await wallMs(device, `${setup(board.chunkSize)}\n${genOtaPump}`));
  }
  const perKb = (times: number[]) => ((median(times) - median(base)) * 1000) / (CPU_KB * PASSES);
  return { bare: perKb(bare), genOta: perKb(pump) };
}
