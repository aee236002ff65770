/**
 * The heap model of a board: what `npm run bench` measured (targets/measured-heap.json, beside the
 * board records) and the bound it gives for the board's largest manifest. GEN_OTA_0305 refuses a
 * board by it; the budget report (generator/budget.ts) only formats it.
 *
 * Heap figures are not guessed here: the bench measures, for each board and output form, the least
 * GC heap in which the updater completes (32-bit MicroPython unix port, bisection on `-X heapsize`,
 * every feature but TLS on, updates run on boot through main.py as boards run them), on the
 * newest firmware and on each board's oldest. The bound for a board is the worst of its measured
 * operations on any of them, each grown for the board's largest manifest (the bench's slope times
 * the manifest bytes it lacks up to maxManifestBytes), plus one chunk for run-to-run spread. The
 * full update is also measured with the bench's larger app, whose manifest is near the largest:
 * the worse of the two full updates is grown from that manifest, so that most of its growth is
 * measured rather than extrapolated.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Target } from "./target.js";

/** An output form the device can run: sources, or modules precompiled by mpy-cross. */
export type OutputForm = "py" | "mpy";

/** What the bench measured for one board and form: least heap, in bytes, of each operation. */
export interface MeasuredForm {
  import: number;
  check: number;
  full: number;
  delta: number;
  /** Extra heap per extra byte of manifest, from full updates of two app sizes. */
  perManifestByte: number;
  /** Update up to its signature check (the bench's SIGNATURE_CHECK_PROBE), which must not raise the peak. */
  verify?: number;
  /** Full update of the bench's larger app, whose manifest is `largerManifestBytes`. */
  fullLarger?: number;
}

/** Least heap of check, full update and delta (and the update up to its signature check) on one firmware, per form. */
export type FirmwareForms = Partial<Record<OutputForm, Record<"check" | "full" | "delta", number> & { verify?: number }>>;

/** The committed file the bench writes. */
export interface MeasuredHeap {
  /** How and with what the figures were measured, in words. */
  about: string;
  /** Bytes of the manifest of the app the operations ran with. */
  manifestBytes: number;
  /** Bytes of the manifest of the larger app (`fullLarger`). */
  largerManifestBytes?: number;
  /** On the newest firmware the bench runs (`firmware`). */
  boards: Record<string, Partial<Record<OutputForm, MeasuredForm>>>;
  /** The newest firmware's version, e.g. "1.25.0". */
  firmware?: string;
  /** The same app on each board's oldest supported firmware, where the bench had its unix port: board, then firmware version. */
  olderFirmware?: Record<string, Record<string, FirmwareForms>>;
}

const here = fileURLToPath(import.meta.url);

/** Path of the figures, beside the board records' sources (from dist/targets/, two folders up). */
export function measuredHeapPath(): string {
  const sources = extname(here) === ".js" ? join(dirname(here), "..", "..", "targets") : dirname(here);
  return join(sources, "measured-heap.json");
}

let cached: MeasuredHeap | undefined;

/** The committed figures; an empty table when the file is absent. */
export function measuredHeap(): MeasuredHeap {
  cached ??= existsSync(measuredHeapPath())
    ? (JSON.parse(readFileSync(measuredHeapPath(), "utf8")) as MeasuredHeap)
    : { about: "not measured", manifestBytes: 0, boards: {} };
  return cached;
}

/** A board's heap figures for one form: the measured peak and the bound for its largest manifest. */
export interface HeapEstimate {
  form: OutputForm;
  /** The largest least-heap of the measured operations, with the bench's app, on any firmware measured. */
  peak: number;
  /** The firmware that peak was measured on (undefined: the table's newest, or not said). */
  firmware?: string;
  /**
   * The worst measured operation grown for maxManifestBytes (the bench's slope times the manifest
   * bytes that operation's app lacks), plus one chunk.
   */
  bound: number;
}

/** heapEstimates' `from` for the newest firmware measured alone. */
export const NEWEST_ONLY = "newest";

/** "1.19" or "1.19.1" as [1, 19, 0], to compare firmware versions. */
function versionParts(version: string): number[] {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
  return [major, minor, patch];
}

/** Orders firmware versions ("1.13.0", "1.22"), for sort: negative when a is older than b. */
export function compareFirmware(a: string, b: string): number {
  const [x, y] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** a >= b, for firmware versions. */
export const firmwareAtLeast = (a: string, b: string): boolean => compareFirmware(a, b) >= 0;

/**
 * The estimates of every form the board can run that the bench measured (none for an unmeasured
 * board): the worst of the firmware measured from `from` up (the boards' oldest firmware, as the
 * config's minFirmware says it; default every firmware measured; NEWEST_ONLY: the newest alone).
 * The newest firmware measured is always in: the boards may run it whatever their oldest is.
 */
export function heapEstimates(target: Target, table: MeasuredHeap = measuredHeap(), from?: string): HeapEstimate[] {
  const measured = table.boards[target.name] ?? {};
  const forms: OutputForm[] = target.mpy ? ["py", "mpy"] : ["py"];
  const older = Object.entries(table.olderFirmware?.[target.name] ?? {}).filter(([version]) => from !== NEWEST_ONLY && (from === undefined || firmwareAtLeast(version, from)));
  return forms.flatMap((form) => {
    const figures = measured[form];
    if (!figures) return [];
    const grown = (heap: number, manifestBytes: number): number => heap + figures.perManifestByte * Math.max(0, target.maxManifestBytes - manifestBytes);
    const newestPeak = Math.max(figures.import, figures.check, figures.full, figures.delta, figures.verify ?? 0);
    let olderPeak = 0;
    let olderFirmware: string | undefined;
    for (const [version, forms] of older) {
      const there = forms[form];
      const peakThere = there ? Math.max(there.check, there.full, there.delta, there.verify ?? 0) : 0;
      if (peakThere > olderPeak) [olderPeak, olderFirmware] = [peakThere, version];
    }
    const peak = Math.max(newestPeak, olderPeak);
    const firmware = olderPeak > newestPeak ? olderFirmware : table.firmware;
    // the full update was also measured with the larger app: the worse of the two counts from its manifest
    const full = figures.fullLarger !== undefined && table.largerManifestBytes !== undefined
      ? grown(Math.max(figures.full, figures.fullLarger), table.largerManifestBytes)
      : grown(figures.full, table.manifestBytes);
    const others = Math.max(figures.import, figures.check, figures.delta, figures.verify ?? 0, olderPeak);
    const bound = Math.ceil(Math.max(full, grown(others, table.manifestBytes)) + target.chunkSize);
    return [{ form, peak, bound, ...(firmware ? { firmware } : {}) }];
  });
}

/**
 * The oldest firmware measured on which some form of the board's updater fits its heap budget,
 * which the hint of GEN_OTA_0305 and `gen-ota init` offer as minFirmware. Undefined when it fits on
 * every firmware measured, or on none.
 */
export function lowestFittingFirmware(target: Target, table: MeasuredHeap = measuredHeap()): string | undefined {
  const fits = (from?: string): boolean => heapEstimates(target, table, from).some((estimate) => estimate.bound <= target.heap.budgetBytes);
  if (fits()) return undefined;
  const versions = [...Object.keys(table.olderFirmware?.[target.name] ?? {}), ...(table.firmware ? [table.firmware] : [])];
  return versions.sort(compareFirmware).find((version) => fits(version));
}
