/**
 * The budget report printed after generating, and the heap bound behind GEN_OTA_0305.
 *
 * Heap figures are not guessed here: `npm run bench` measures, for each board and output form,
 * the least GC heap in which the updater completes (32-bit MicroPython unix port, bisection on
 * `-X heapsize`, every feature but TLS on) and writes them to targets/measured-heap.json, on the
 * newest firmware and on each board's oldest. The bound for a board is the worst of its measured
 * operations on any of them, plus what a larger manifest adds (the bench's slope, up to the
 * board's maxManifestBytes), plus one chunk for run-to-run spread.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Target } from "../targets/index.js";
import { byteLength, type OutputFile } from "./output.js";
import { packageRoot } from "./paths.js";

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
}

/** Least heap of check, full update and delta on one firmware, per form. */
export type FirmwareForms = Partial<Record<OutputForm, Record<"check" | "full" | "delta", number>>>;

/** The committed file the bench writes. */
export interface MeasuredHeap {
  /** How and with what the figures were measured, in words. */
  about: string;
  /** Bytes of the manifest of the app the operations ran with. */
  manifestBytes: number;
  /** On the newest firmware the bench runs (`firmware`). */
  boards: Record<string, Partial<Record<OutputForm, MeasuredForm>>>;
  /** The newest firmware's version, e.g. "1.25.0". */
  firmware?: string;
  /** The same app on each board's oldest supported firmware, where the bench had its unix port: board, then firmware version. */
  olderFirmware?: Record<string, Record<string, FirmwareForms>>;
}

/** Path of the figures, beside the board records. */
export function measuredHeapPath(): string {
  return join(packageRoot(), "targets", "measured-heap.json");
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
  /** peak, plus the bench's slope times the manifest bytes past the bench's up to maxManifestBytes, plus one chunk. */
  bound: number;
}

/**
 * The estimates of every form the board can run that the bench measured (none for an unmeasured
 * board): from the worst firmware measured, or with `newestOnly` from the newest alone.
 */
export function heapEstimates(target: Target, table: MeasuredHeap = measuredHeap(), newestOnly = false): HeapEstimate[] {
  const measured = table.boards[target.name] ?? {};
  const forms: OutputForm[] = target.mpy ? ["py", "mpy"] : ["py"];
  return forms.flatMap((form) => {
    const figures = measured[form];
    if (!figures) return [];
    // the worst of every firmware the bench measured the board on: a board may run any of them
    let peak = Math.max(figures.import, figures.check, figures.full, figures.delta);
    let firmware = table.firmware;
    for (const [version, forms] of Object.entries(newestOnly ? {} : (table.olderFirmware?.[target.name] ?? {}))) {
      const older = forms[form];
      if (older && Math.max(older.check, older.full, older.delta) > peak) {
        peak = Math.max(older.check, older.full, older.delta);
        firmware = version;
      }
    }
    const extraManifest = Math.max(0, target.maxManifestBytes - table.manifestBytes);
    const bound = Math.ceil(peak + figures.perManifestByte * extraManifest + target.chunkSize);
    return [{ form, peak, bound, ...(firmware ? { firmware } : {}) }];
  });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The report's heap line: measured peaks and bounds against the budget, and what to do when one is over. */
function heapLine(target: Target, tls: boolean, table: MeasuredHeap): string {
  const estimates = heapEstimates(target, table);
  const budget = target.heap.budgetBytes;
  if (estimates.length === 0) return `  peak heap: not measured for ${target.name} (npm run bench measures the boards it lists)`;
  const peaks = estimates.map((e) => `${kb(e.peak)} (.${e.form}${e.firmware ? ` on ${e.firmware}` : ""})`).join(", ");
  const bounds = estimates.map((e) => `${kb(e.bound)} (.${e.form}${e.bound > budget ? ", over" : ""})`).join(", ");
  const fitting = estimates.filter((e) => e.bound <= budget);
  // over on an older firmware only: say what fits on the newest, which most boards of a fleet run
  const fittingOnNewest = heapEstimates(target, table, true).filter((e) => e.bound <= budget);
  const newest = table.firmware ?? "the newest firmware";
  const advice =
    fitting.length === 0
      ? fittingOnNewest.length > 0
        ? `; it does not fit on ${[...new Set(estimates.map((e) => e.firmware).filter((f) => f !== newest))].join(", ") || "its oldest firmware"}; on ${newest}, the .${fittingOnNewest[0]!.form} output does (bounded ${kb(fittingOnNewest[0]!.bound)})`
        : "; it does not fit"
      : fitting.length < estimates.length
        ? `; use the .${fitting[0]!.form} output`
        : "";
  const notes = tls ? "; TLS handshake not included" : "";
  return (
    `  peak heap measured ${peaks} of ${kb(budget)} with a ${kb(table.manifestBytes)} manifest; ` +
    `bounded ${bounds} for a ${kb(target.maxManifestBytes)} one${advice}${notes}`
  );
}

/** One board's report as text lines: each file's bytes, the heap measured and bounded, the flash taken. */
export function budgetReport(
  target: Target,
  files: readonly OutputFile[],
  options: { tls?: boolean; signing?: { keys: number; allowUnsigned: boolean }; heap?: MeasuredHeap } = {},
): string {
  const rows = files.map((file) => `  ${file.path.padEnd(22)} ${String(byteLength(file.contents)).padStart(7)} B`);
  const sourceBytes = files.filter((file) => file.path.endsWith(".py") && !file.path.includes("/")).reduce((sum, file) => sum + byteLength(file.contents), 0);
  const mpyBytes = files.filter((file) => file.path.endsWith(".mpy")).reduce((sum, file) => sum + byteLength(file.contents), 0);
  const lines = [
    `${target.name}: heap budget ${kb(target.heap.budgetBytes)}, app flash budget ${kb(target.flash.budgetBytes)} (${target.flash.filesystem}), mpy ${target.mpy ? `ABI ${target.mpy.abis.join(" or ")}` : "not importable"}`,
    ...rows,
    heapLine(target, options.tls ?? false, options.heap ?? measuredHeap()),
    `  updater on flash: ${kb(sourceBytes)} as .py${mpyBytes ? `, ${kb(mpyBytes)} as .mpy` : ""}; the app may take ${kb(target.flash.budgetBytes)}, and staging as much again`,
  ];
  const signing = options.signing;
  if (signing !== undefined) {
    const keys = `${signing.keys} Ed25519 key${signing.keys === 1 ? "" : "s"}`;
    lines.push(
      signing.allowUnsigned
        ? `  releases: UNSIGNED ACCEPTED (signing.allowUnsigned)${signing.keys ? `; signed ones checked against ${keys}` : ""}: anyone on the network path can install code`
        : `  releases: signed only, checked against ${keys}`,
    );
  }
  return lines.join("\n");
}
