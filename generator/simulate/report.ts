/** The simulation's report: the step log (the same on every runtime for the same inputs), totals, heap, power cuts, verdict. */

import type { Target } from "../../targets/index.js";
import { SETTLE_LIMIT } from "./power-cut.js";
import type { BootRecord, CutOutcome, RunOutcome, UpdatePlan } from "./session.js";

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** The release version a `/dl/<tag>/<asset>` request fetched, or null. */
function assetVersion(path: string, asset: string, tagPrefix: string): string | null {
  const match = /^\/dl\/([^/]+)\/([^/?]+)/.exec(path);
  if (!match || decodeURIComponent(match[2]!) !== asset) return null;
  const tag = decodeURIComponent(match[1]!);
  return tag.startsWith(tagPrefix) ? tag.slice(tagPrefix.length) : tag;
}

/** Replaces the simulated site's origins (which differ between runtimes by port) with a fixed name. */
export function normalizeOrigins(line: string): string {
  return line.replace(/http:\/\/(127\.0\.0\.1|localhost)(:\d+)?/g, "http://$1");
}

/** The step lines of one boot (its `index`, from 1); the staging counters count this boot's files. */
export function bootSteps(boot: BootRecord, index: number, plan: UpdatePlan, timeoutSeconds?: number): string[] {
  const progress = { done: 0, bytes: 0 };
  const { tagPrefix } = plan.config;
  const steps = [`boot ${index}: ${boot.action === "boot" ? "power on, main.py" : "the app calls ota.update()"}`];
  const total = plan.to.files;
  const totalFiles = Object.keys(total).length;
  const totalBytes = Object.values(total).reduce((sum, bytes) => sum + bytes.length, 0);
  for (const request of boot.requests) {
    const checked = assetVersion(request.path, "ota-version", tagPrefix);
    if (checked !== null && request.status === 200) steps.push(`  check     the release asks for ${checked}`);
    const listed = assetVersion(request.path, "ota-manifest.json", tagPrefix);
    if (listed !== null && request.status === 200) steps.push(`  manifest  ${listed}: ${totalFiles} files, ${totalBytes} B`);
  }
  for (const raw of boot.lines) {
    const line = normalizeOrigins(raw);
    const staged = /^ota: (downloaded|copied|kept) (.+) \((\d+) bytes\)$/.exec(line);
    let match: RegExpExecArray | null;
    if (staged) {
      progress.done += 1;
      progress.bytes += Number(staged[3]);
      const verb = staged[1] === "downloaded" ? "download" : staged[1] === "copied" ? "copy    " : "keep    ";
      steps.push(`  ${verb}  [${progress.done}/${totalFiles}] ${staged[2]} ${staged[3]} B (${progress.bytes}/${totalBytes} B staged)`);
    } else if ((match = /^ota: switching to (.+)$/.exec(line))) steps.push(`  switch    to ${match[1]}`);
    else if ((match = /^ota: (.+) on trial, boot (\d+) of (\d+)$/.exec(line))) steps.push(`  trial     ${match[1]}, boot ${match[2]} of ${match[3]}`);
    else if ((match = /^ota: (.+) confirmed$/.exec(line))) steps.push(`  confirm   ${match[1]} confirmed by the app`);
    else if (line.startsWith("ota: ")) steps.push(`  ota       ${line.slice(5)}`);
    else steps.push(`  app       ${line}`);
  }
  if (boot.exception) steps.push(`  crash     ${normalizeOrigins(boot.exception)}`);
  const ends: Record<BootRecord["end"], string> = {
    returned: "main.py returned",
    reset: "machine.reset()",
    confirmed: "the app confirmed; the simulator stops it",
    exception: "an exception escaped main.py",
    "power-cut": "power cut",
    timeout: `still running after ${timeoutSeconds ?? "the"}${timeoutSeconds === undefined ? "" : " s"}: the simulator resets the board, as a watchdog would`,
  };
  steps.push(`  end       ${ends[boot.end]}`);
  return steps;
}

/** The step log of a run: what the device did, boot by boot. Runtime-independent by construction. */
export function stepLog(run: RunOutcome, plan: UpdatePlan, timeoutSeconds?: number): string[] {
  return run.boots.flatMap((boot, i) => bootSteps(boot, i + 1, plan, timeoutSeconds));
}

/** Whether the run reached the new version, confirmed. */
export function succeeded(run: RunOutcome, plan: UpdatePlan): boolean {
  return run.state === "new" && run.version === plan.to.version && run.confirmed;
}

/**
 * Heap lines: the figure per boot and what it says about the budget. `exceeded`: shown over the
 * budget (a MemoryError at it); `measured`: shown within it. An embedded bound over the budget
 * is neither: it counts garbage too, so it proves nothing, and the simulation does not fail on it.
 */
export function heapLines(run: RunOutcome, target: Target): { lines: string[]; exceeded: boolean; measured: boolean } {
  const budget = target.heap.budgetBytes;
  const peak = Math.max(0, ...run.boots.map((boot) => boot.heap.bytes));
  const exhausted = run.boots.some((boot) => boot.heap.exhausted);
  const kind = run.boots[0]?.heap.kind ?? "live";
  if (kind === "allocated") {
    if (peak <= budget) {
      return {
        lines: [
          `heap: at most ${kb(peak)} (${peak} B) allocated in one boot, within the ${kb(budget)} budget`,
          "      (MicroPython on WebAssembly collects garbage only between top-level calls, so this counts garbage too: an upper bound)",
        ],
        exceeded: false,
        measured: true,
      };
    }
    return {
      lines: [
        `heap: not measured by this runtime: MicroPython on WebAssembly collects garbage only between top-level calls, so its ${kb(peak)} (${peak} B) counts garbage too and says nothing about the ${kb(budget)} budget`,
        "      (--runtime unix runs the board's heap budget and measures the live heap)",
      ],
      exceeded: false,
      measured: false,
    };
  }
  return {
    lines: [
      exhausted
        ? `heap: MemoryError in a ${kb(budget)} heap: the update does not fit the budget`
        : `heap: ran in a ${kb(budget)} heap (the budget) without MemoryError; live peak seen ${kb(peak)} (${peak} B, sampled after collections)`,
    ],
    exceeded: exhausted,
    measured: !exhausted,
  };
}

/** One line per cut, and the summary. */
export function cutLines(cuts: readonly CutOutcome[], plan: UpdatePlan): { lines: string[]; broken: number; notNew: number } {
  const lines = cuts.map(
    (cut) =>
      `  write ${String(cut.at).padStart(4)}: after reboot ${cut.afterReboot.padEnd(6)} ${cut.settledAfter === null ? `still writing after ${SETTLE_LIMIT} boots,` : `settled in ${cut.settledAfter},`} finally ${cut.final}${cut.finalVersion ? ` ${cut.finalVersion}` : ""}${cut.confirmed ? "" : " (not confirmed)"}`,
  );
  // a device that writes at every boot wears its flash out: as bad as a broken app
  const broken = cuts.filter((cut) => cut.afterReboot === "broken" || cut.final === "broken" || cut.settledAfter === null).length;
  const notNew = cuts.filter((cut) => cut.final !== "new" || cut.finalVersion !== plan.to.version || !cut.confirmed).length;
  lines.push(`power cuts: ${cuts.length} tried, ${broken} left the app broken, ${cuts.length - notNew} ended on ${plan.to.version} confirmed`);
  return { lines, broken, notNew };
}

/** Requests, body bytes and block writes of a run. */
export function totalsLine(run: RunOutcome): string {
  const requests = run.boots.reduce((sum, boot) => sum + boot.requests.length, 0);
  const bytes = run.boots.reduce((sum, boot) => sum + boot.requests.reduce((s, r) => s + r.bytes, 0), 0);
  return `network: ${requests} requests, ${bytes} body bytes; flash: ${run.writes} block writes`;
}
