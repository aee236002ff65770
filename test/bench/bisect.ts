/** The smallest `-X heapsize` at which a snippet still succeeds, found by bisection. */
import type { Device } from "../runtime/device.js";
import { runSnippet, type Run } from "./runner.js";

/** Bisection stops once the interval is this narrow. */
export const RESOLUTION = 256;
/** Heaps searched: below LOW the harness itself cannot start; above HIGH counts as "does not fit". */
export const LOW = 1024;
export const HIGH = 512 * 1024;

/** What to run, and how to tell that it worked. */
export interface Probe {
  snippet: string;
  ok: (result: Run) => boolean;
}

/** Runs the probe on a scratch copy of `base` (so every trial starts from the same flash). */
export async function trial(base: Device, probe: Probe, heapBytes: number): Promise<{ ok: boolean; result: Run }> {
  const scratch = await base.copy();
  try {
    const result = await runSnippet(scratch, probe.snippet, heapBytes);
    return { ok: !result.timedOut && result.code === 0 && probe.ok(result), result };
  } finally {
    await scratch.dispose();
  }
}

/** Above the answer, sizes every SWEEP_STEP bytes up to SWEEP_SPAN must pass too (see minHeap). */
export const SWEEP_STEP = 512;
export const SWEEP_SPAN = 4096;

/**
 * The least heap (to RESOLUTION bytes) at which the probe succeeds, and keeps succeeding, or
 * undefined if it fails even at HIGH. Success is not monotonic in the heap size: where the GC
 * places long-lived blocks (a new qstr pool, a module's code) changes with it, and a .py updater
 * on ESP8266 passes at 40 KB yet fails at 43-45 KB. So the answer is bisected, confirmed by a
 * second run, then swept upwards: a size that fails moves it above that size, and the sweep
 * starts again. The figure is a heap from which every size tried passes.
 */
export async function minHeap(base: Device, probe: Probe): Promise<number | undefined> {
  const top = await trial(base, probe, HIGH);
  if (!top.ok) return undefined;
  let low = LOW;
  let high = HIGH;
  while (high - low > RESOLUTION) {
    const middle = Math.floor((low + high) / 2 / 64) * 64;
    if ((await trial(base, probe, middle)).ok) high = middle;
    else low = middle;
  }
  for (;;) {
    while (!(await trial(base, probe, high)).ok) high += RESOLUTION;
    let failed: number | undefined;
    for (let above = high + SWEEP_STEP; above <= high + SWEEP_SPAN && failed === undefined; above += SWEEP_STEP) {
      if (!(await trial(base, probe, above)).ok) failed = above;
    }
    if (failed === undefined) return high;
    high = failed + RESOLUTION;
  }
}
