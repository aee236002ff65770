/** The budget report printed after generating: bytes of each file against the board's budgets. */
import type { Target } from "../targets/index.js";
import { byteLength, type OutputFile } from "./output.js";

/** One board's report as text lines. */
export function budgetReport(target: Target, files: readonly OutputFile[]): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const rows = files.map((file) => `  ${file.path.padEnd(22)} ${String(byteLength(file.contents)).padStart(7)} B`);
  const sourceBytes = files.filter((file) => file.path.endsWith(".py") && !file.path.includes("/")).reduce((sum, file) => sum + byteLength(file.contents), 0);
  const mpyBytes = files.filter((file) => file.path.endsWith(".mpy")).reduce((sum, file) => sum + byteLength(file.contents), 0);
  const lines = [
    `${target.name}: heap budget ${kb(target.heap.budgetBytes)}, app flash budget ${kb(target.flash.budgetBytes)} (${target.flash.filesystem}), mpy ${target.mpy ? `ABI ${target.mpy.abi}` : "not importable"}`,
    ...rows,
    `  updater on flash: ${kb(sourceBytes)} as .py${mpyBytes ? `, ${kb(mpyBytes)} as .mpy` : ""}; the app may take ${kb(target.flash.budgetBytes)}, and staging as much again`,
  ];
  return lines.join("\n");
}
