/**
 * The budget report printed after generating: each file's bytes, the heap model of targets/heap.ts
 * against the board's budget, and the flash taken. It formats; it decides nothing.
 */
import { heapEstimates, measuredHeap, NEWEST_ONLY, type MeasuredHeap } from "../targets/heap.js";
import type { Target } from "../targets/index.js";
import { fleetMpyAbis } from "./mpy/board-abi.js";
import { byteLength, type OutputFile } from "./output.js";

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The report's heap line: measured peaks and bounds against the budget, and what to do when one is over. */
function heapLine(target: Target, tls: boolean, table: MeasuredHeap, minFirmware: string | undefined): string {
  const estimates = heapEstimates(target, table, minFirmware);
  const budget = target.heap.budgetBytes;
  if (estimates.length === 0) return `  peak heap: not measured for ${target.name} (npm run bench measures the boards it lists)`;
  const peaks = estimates.map((e) => `${kb(e.peak)} (.${e.form}${e.firmware ? ` on ${e.firmware}` : ""})`).join(", ");
  const bounds = estimates.map((e) => `${kb(e.bound)} (.${e.form}${e.bound > budget ? ", over" : ""})`).join(", ");
  const fitting = estimates.filter((e) => e.bound <= budget);
  // over on an older firmware only: say what fits on the newest, which most boards of a fleet run
  const fittingOnNewest = heapEstimates(target, table, NEWEST_ONLY).filter((e) => e.bound <= budget);
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
  options: { tls?: boolean; signing?: { keys: number; allowUnsigned: boolean }; heap?: MeasuredHeap; minFirmware?: string } = {},
): string {
  const rows = files.map((file) => `  ${file.path.padEnd(22)} ${String(byteLength(file.contents)).padStart(7)} B`);
  const sourceBytes = files.filter((file) => file.path.endsWith(".py") && !file.path.includes("/")).reduce((sum, file) => sum + byteLength(file.contents), 0);
  const mpyBytes = files.filter((file) => file.path.endsWith(".mpy")).reduce((sum, file) => sum + byteLength(file.contents), 0);
  const lines = [
    `${target.name}: heap budget ${kb(target.heap.budgetBytes)}, app flash budget ${kb(target.flash.budgetBytes)} (${target.flash.filesystem}), mpy ${target.mpy ? `ABI ${fleetMpyAbis(target.mpy.abis, options.minFirmware).join(" or ")}` : "not importable"}`,
    ...rows,
    heapLine(target, options.tls ?? false, options.heap ?? measuredHeap(), options.minFirmware),
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
