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

/**
 * The least heap (to RESOLUTION bytes) at which the probe succeeds, or undefined if it fails
 * even at HIGH. The answer is confirmed by a second run; the GC can make success not quite
 * monotonic in the heap size, so a failed confirmation moves up a step and tries again.
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
  while (!(await trial(base, probe, high)).ok) high += RESOLUTION;
  return high;
}
