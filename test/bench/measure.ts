/** Measures one updater on one board and output: min heap, traffic and wall time of each operation. */
import { createHash } from "node:crypto";
import type { Target } from "../../targets/index.js";
import type { Device } from "../runtime/device.js";
import type { ImageOptions, Variant } from "../runtime/updater.js";
import { benchApp, DELTA_FILE, largerBenchApp, type BenchRelease } from "./app.js";
import { HIGH, minHeap, trial, type Probe } from "./bisect.js";
import { runSnippet } from "./runner.js";
import type { BenchServer, Traffic } from "./server.js";
import { OPERATIONS, signatureCheckHeap, type Operation, type Subject } from "./subjects.js";

/** Runs of the timed full update; the median is reported. */
export const TIMED_RUNS = 7;

export interface SubjectFigures {
  /** Least heap per operation; undefined: does not complete even at HIGH. */
  heap: Record<Operation, number | undefined>;
  traffic: Record<Operation, Traffic>;
  /** Least heap of a full update of the larger app (largerBenchApp), measured for gen-ota only. */
  fullLarger?: number | undefined;
  /** Wall milliseconds of a full update (import excluded; medians), and the heap it ran with. */
  fullUpdateMs: number;
  timedAtHeap: number;
}

const NO_TRAFFIC: Traffic = { requests: 0, bodyBytes: 0, wireBytes: 0, apiRequests: 0, paths: [] };
const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");
export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Runs the probe once with room to spare on a copy of `base`, checks the files it left, and returns the traffic. */
async function traffic(base: Device, probe: Probe, server: BenchServer, check: (files: Record<string, string>) => void): Promise<Traffic> {
  const scratch = await base.copy();
  try {
    server.reset();
    const result = await runSnippet(scratch, probe.snippet, HIGH);
    const sent = await server.traffic();
    if (result.code !== 0 || !probe.ok(result)) throw new Error(`bench: ${probe.snippet} failed at ${HIGH} B\n${result.stdout}${result.stderr}`);
    const listing = await scratch.ls();
    check(Object.fromEntries(Object.entries(listing).map(([path, info]) => [path, info.sha256])));
    return sent;
  } finally {
    await scratch.dispose();
  }
}

/** Throws unless every file of `release` is under `dir` with its content. */
function expectRelease(release: BenchRelease, dir: string) {
  return (files: Record<string, string>): void => {
    for (const [path, content] of Object.entries(release.files)) {
      if (files[`${dir}/${path}`] !== sha256(content)) throw new Error(`bench: ${dir}/${path} is not ${release.version}'s`);
    }
  };
}

/**
 * Wall ms of a full update: the median process time of `import` + update minus that of `import`
 * alone, over TIMED_RUNS runs each at `heapBytes` (timed from outside: see cpu.ts on the time module).
 */
async function timeFullUpdate(fresh: Device, subject: Subject, heapBytes: number, version: string): Promise<number> {
  const withUpdate: number[] = [];
  const importOnly: number[] = [];
  for (let run = 0; run < TIMED_RUNS; run++) {
    for (const [probe, times] of [[subject.probe("full", version), withUpdate], [subject.probe("import", ""), importOnly]] as const) {
      const scratch = await fresh.copy();
      try {
        const result = await runSnippet(scratch, probe.snippet, heapBytes);
        if (!probe.ok(result)) throw new Error(`bench: timed run failed at ${heapBytes} B\n${result.stdout}${result.stderr}`);
        times.push(result.ms);
      } finally {
        await scratch.dispose();
      }
    }
  }
  return median(withUpdate) - median(importOnly);
}

/**
 * Every figure of `subject` on `board` as `variant`: a fresh device for `import` and the full
 * update of the 20-file app, then a device running it for the up-to-date check and the one-file delta.
 */
export async function measureSubject(board: Target, variant: Variant, subject: Subject, server: BenchServer): Promise<SubjectFigures> {
  const v1 = benchApp("1.0.0");
  const v101 = benchApp("1.0.1", [DELTA_FILE]);
  const staged = subject.name === "gen-ota" ? "/next" : `/${server.dir}`;
  server.publish(v1);
  const fresh = await subject.flash(board, variant, server);
  const current = await fresh.copy();
  try {
    const heap = {} as SubjectFigures["heap"];
    const sent = {} as SubjectFigures["traffic"];
    heap.import = await minHeap(fresh, subject.probe("import", ""));
    sent.import = NO_TRAFFIC;
    heap.full = await minHeap(fresh, subject.probe("full", v1.version));
    sent.full = await traffic(fresh, subject.probe("full", v1.version), server, expectRelease(v1, staged));
    const timedAtHeap = Math.max(board.heap.budgetBytes, Math.ceil((heap.full ?? HIGH) * 1.25));
    const fullUpdateMs = await timeFullUpdate(fresh, subject, timedAtHeap, v1.version);
    let fullLarger: number | undefined;
    if (subject.name === "gen-ota") {
      server.publish(largerBenchApp(v1.version));
      fullLarger = await minHeap(fresh, subject.probe("full", v1.version));
      server.publish(v1);
    }

    await subject.install(current);
    heap.check = await minHeap(current, subject.probe("check", ""));
    sent.check = await traffic(current, subject.probe("check", ""), server, () => {});
    server.publish(v101);
    heap.delta = await minHeap(current, subject.probe("delta", v101.version));
    sent.delta = await traffic(current, subject.probe("delta", v101.version), server, expectRelease(v101, staged));
    for (const operation of OPERATIONS) if (!(operation in heap)) throw new Error(`bench: ${operation} not measured`);
    return { heap, traffic: sent, fullLarger, fullUpdateMs, timedAtHeap };
  } finally {
    await fresh.dispose();
    await current.dispose();
  }
}

/** Least heap at which the harness starts with the board's filesystem mounted and runs `pass`. */
export async function idleHeap(device: Device): Promise<number | undefined> {
  return minHeap(device, { snippet: "print('BENCH ok')", ok: (result) => result.output.includes("BENCH ok") });
}

/** Least heap of gen-ota's check, full update, delta and update up to its signature check on another firmware (a board's oldest). */
export type FirmwareFigures = Record<"check" | "full" | "delta" | "verify", number | undefined>;

/**
 * The three least heaps of `subject` on `board` as `variant`, on the unix port `image.micropython`
 * (modules compiled for `image.mpyAbi`): the same app, probes and bisection as measureSubject.
 */
export async function measureOnFirmware(board: Target, variant: Variant, subject: Subject, server: BenchServer, image: ImageOptions): Promise<FirmwareFigures> {
  const v1 = benchApp("1.0.0");
  const v101 = benchApp("1.0.1", [DELTA_FILE]);
  server.publish(v1);
  const fresh = await subject.flash(board, variant, server, image);
  const current = await fresh.copy();
  try {
    const full = await minHeap(fresh, subject.probe("full", v1.version));
    const verify = subject.name === "gen-ota" ? await signatureCheckHeap(fresh, variant, image.mpyAbi) : undefined;
    await subject.install(current);
    const check = await minHeap(current, subject.probe("check", ""));
    server.publish(v101);
    const delta = await minHeap(current, subject.probe("delta", v101.version));
    return { check, full, delta, verify };
  } finally {
    await fresh.dispose();
    await current.dispose();
  }
}
