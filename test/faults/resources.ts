/**
 * Resources running out mid-update. Flash: a small image where the new release cannot be staged
 * (ENOSPC part-way through a download). Heap: the boot that downloads an update, run at every
 * heap size from near nothing up to the board's budget, so MemoryError strikes at each point of
 * the update in turn. Either way the running version must stay intact, the journal agree with
 * the directories, and the update go through once the resource is back.
 *
 * Device code: the .mpy output; the flash case at the board's heap budget.
 */
import { targets } from "../../targets/index.js";
import { describe as describeRun, type Device } from "../runtime/device.js";
import { startGithubServer } from "../runtime/server.js";
import { BOOT_SNIPPET, flashDevice, testConfig } from "../runtime/updater.js";
import {
  appState, bootAndInspect, classifyApp, inspect, installInspector, journalProblems, pool, readJournal, record, RELIABILITY_RUN,
  secondsSince, type AppRelease,
} from "./common.js";
import { settleAfterCut, V1, V11 } from "./power.js";
import { ERROR_LINE } from "./network.js";

const APP_DIR = "/project";

async function runOk(device: Device, snippet: string, what: string): Promise<string[]> {
  const result = await device.run(snippet);
  if (result.code !== 0 || result.exception) throw new Error(`${what} failed\n${describeRun(result)}`);
  return result.output;
}

async function freeBytes(device: Device): Promise<number> {
  const output = await runOk(device, "import os\ns = os.statvfs('/')\nprint('FREE', s[0] * s[3])", "statvfs");
  return Number(output.find((line) => line.startsWith("FREE "))?.slice(5));
}

/** Bytes that do not compress or repeat: a release file of `size` bytes. */
const blob = (size: number): string => Array.from({ length: Math.ceil(size / 64) }, (_, i) => `${String(i).padStart(8, "0")} ${"z".repeat(54)}\n`).join("").slice(0, size);

export interface FlashFullResult {
  free: number;
  error?: string;
  problems: string[];
}

/**
 * A small image (160 KiB FAT, 256 KiB littlefs) holding the updater, 1.0.0 and 48 KiB of app
 * data: 1.1.0 brings a file larger than the free space. The update fails with ENOSPC and removes
 * its staging, giving the flash back to the app; 1.0.0 still boots; once the app data is
 * deleted, the next update goes through and 1.1.0 runs. On FAT the app also holds 40 KiB of cache
 * that it deletes with its data: the switch there copies (a FAT rename is not atomic), so a
 * changed file needs room once more while it is installed (docs/protocol.md).
 */
export async function runFlashFull(boardName: string): Promise<FlashFullResult> {
  const started = Date.now();
  const board = targets.get(boardName)!;
  const server = await startGithubServer({ releases: [V1] });
  const fs = board.flash.filesystem === "fat" ? "fat" : "lfs2";
  const image = fs === "fat" ? { blocks: 320 } : { blocks: 64 };
  const device = await flashDevice(testConfig(board, server, { update: "manual" }), boardName, "mpy", undefined, image);
  const result: FlashFullResult = { free: 0, problems: [] };
  const fail = (problem: string): FlashFullResult => {
    result.problems.push(problem);
    return result;
  };
  try {
    await installInspector(device);
    // on FAT less app data: the updater (signature check, trial guard, copy switch) takes more of the 160 KiB
    const data: Record<string, string> = { "/data/log.bin": blob((fs === "fat" ? 32 : 48) * 1024) };
    if (fs === "fat") data["/data/cache.bin"] = blob(40 * 1024);
    await device.writeFiles(data);
    await runOk(device, "import ota\nota.update()", "install 1.0.0");
    await runOk(device, BOOT_SNIPPET, "boot 1.0.0");
    result.free = await freeBytes(device);
    if (!(result.free > 8 * 1024)) return fail(`only ${result.free} bytes free after installing 1.0.0`);
    const big: AppRelease = { version: "1.1.0", prerelease: false, files: { ...V11.files, "lib/blob.bin": blob(result.free + 8 * 1024) } };
    server.publish(big);

    const full = await device.run("import ota\nprint('RESULT', ota.update())");
    if (full.code !== 0 || full.exception || full.stderr !== "") return fail(`the update crashed\n${describeRun(full)}`);
    const errors = full.output.filter((line) => ERROR_LINE.test(line));
    if (errors.length !== 1 || !/(ENOSPC|28); staging removed/.test(errors[0]!)) return fail(`expected one ENOSPC line\n${full.output.join("\n")}`);
    result.error = errors[0];
    if (!full.output.includes("RESULT None")) return fail(`update() did not return None\n${full.output.join("\n")}`);

    const freeAfter = await freeBytes(device);
    if (freeAfter < result.free - 8 * 1024) return fail(`the failed staging keeps the flash: ${freeAfter} bytes free, ${result.free} before`);
    const booted = await bootAndInspect(device);
    if (!booted.inspection) return fail(`1.0.0 does not boot with the flash full\n${describeRun(booted.result)}`);
    if (!booted.result.output.includes("APP RUNNING widget 1.0.0")) return fail(`the app did not run\n${booted.result.output.join("\n")}`);
    const app = classifyApp(booted.inspection, APP_DIR, { old: appState(V1) });
    if (app.problem) return fail(app.problem);
    const journal = journalProblems(booted.inspection, APP_DIR, false);
    if (journal.length > 0) return fail(journal.join("; "));

    await runOk(device, `import os\nfor name in ${JSON.stringify(Object.keys(data)).replace(/"/g, "'")}:\n    os.remove(name)`, "free the app data");
    const again = await runOk(device, "import ota\nprint('RESULT', ota.update())", "update again");
    if (!again.includes("RESULT 1.1.0")) return fail(`the update did not go through once there was room\n${again.join("\n")}`);
    const switched = await bootAndInspect(device);
    if (!switched.inspection || !switched.result.output.includes("APP RUNNING widget 1.1.0")) return fail(`1.1.0 does not run\n${describeRun(switched.result)}`);
    const after = classifyApp(switched.inspection, APP_DIR, { new: appState(big) });
    if (after.problem) return fail(after.problem);
    return result;
  } finally {
    record({
      suite: "resources",
      scenario: "flash full mid-download (ENOSPC)",
      board: boardName,
      tried: 1,
      old: result.problems.length === 0 ? 1 : 0,
      new: 0,
      broken: result.problems.length > 0 ? 1 : 0,
      seconds: secondsSince(started),
      note: `${fs} image of ${(image.blocks * (fs === "fat" ? 512 : 4096)) / 1024} KiB, ${Math.round(result.free / 1024)} KiB free, 1.1.0 brings a file of free + 8 KiB; staging removed, the flash given back`,
    });
    await device.dispose();
    await server.close();
  }
}

export interface HeapPoint {
  heap: number;
  /** staged: the boot staged 1.1.0 and rebooted; failed: the update failed and the app was started; crashed: the heap was too small to boot at all. */
  outcome?: "staged" | "failed" | "crashed";
  problems: string[];
}

/**
 * Heap sizes from 12 KiB to the board's budget: about 48 points under `npm run reliability`, 24
 * in `npm test` (CI's time).
 */
export function heapSizes(budget: number, points = RELIABILITY_RUN ? 48 : 24): number[] {
  const low = 12 * 1024;
  const step = Math.max(256, Math.ceil((budget - low) / points / 64) * 64);
  const sizes: number[] = [];
  for (let heap = low; heap < budget; heap += step) sizes.push(heap);
  sizes.push(budget);
  return sizes;
}

/**
 * At each heap size, a device running 1.0.0 boots with 1.1.0 published (`update: "boot"`): the
 * boot stages it, or fails for want of memory somewhere on the way. Then, at the budget again,
 * the device must settle on 1.1.0 with every boot holding exactly 1.0.0 or 1.1.0.
 */
export async function runHeapSweep(boardName: string): Promise<HeapPoint[]> {
  const started = Date.now();
  const board = targets.get(boardName)!;
  const server = await startGithubServer({ releases: [V1] });
  const base = await flashDevice(testConfig(board, server), boardName, "mpy");
  try {
    await installInspector(base);
    for (let boot = 0; boot < 3; boot++) await runOk(base, BOOT_SNIPPET, "prepare");
    server.publish(V11);
    const points = await pool(heapSizes(board.heap.budgetBytes), async (heap): Promise<HeapPoint> => {
      const point: HeapPoint = { heap, problems: [] };
      const device = await base.copy();
      try {
        const low = await device.run(BOOT_SNIPPET, { heapBytes: heap });
        const appStarted = low.output.some((line) => line === "APP RUNNING widget 1.0.0" || line.startsWith("ota: app stopped: "));
        point.outcome = low.output.includes("SIM RESET") ? "staged" : appStarted ? "failed" : "crashed";
        // a MemoryError in a request is logged by ota.update(); one importing the network half by main.py
        const failures = low.output.filter((line) => ERROR_LINE.test(line) || line.startsWith("ota: update stopped: MemoryError"));
        if (point.outcome === "failed" && failures.length !== 1) point.problems.push(`heap ${heap}: the failure was not one log line\n${low.output.join("\n")}`);
        // too small to boot is the firmware's limit, not the updater's: nothing of the update may be on the stack
        if (point.outcome === "crashed" && /in update|ota_fetch|ota_http|ota_stage/.test(low.stderr)) {
          point.problems.push(`heap ${heap}: the update kept the app from starting\n${describeRun(low)}`);
        }
        const inspection = await inspect(device);
        const app = classifyApp(inspection, APP_DIR, { old: appState(V1) });
        if (app.problem) point.problems.push(`heap ${heap}: ${app.problem}`);
        const journal = journalProblems(inspection, APP_DIR, false);
        if (journal.length > 0 && readJournal(inspection)?.["state"] !== "swap") point.problems.push(`heap ${heap}: ${journal.join("; ")}`);
        const settled = await settleAfterCut(device, heap, { old: appState(V1), new: appState(V11) });
        point.problems.push(...settled.problems);
        if (settled.problems.length === 0 && settled.settled !== "new") point.problems.push(`heap ${heap}: settled on 1.0.0, not 1.1.0`);
        return point;
      } finally {
        await device.dispose();
      }
    });
    const count = (outcome: HeapPoint["outcome"]): number => points.filter((p) => p.outcome === outcome).length;
    record({
      suite: "resources",
      scenario: "heap from 12 KiB to the budget (MemoryError)",
      board: boardName,
      tried: points.length,
      old: points.filter((p) => p.problems.length === 0 && p.outcome !== "staged").length,
      new: points.filter((p) => p.problems.length === 0 && p.outcome === "staged").length,
      broken: points.filter((p) => p.problems.length > 0).length,
      seconds: secondsSince(started),
      note: `${count("staged")} staged; ${count("failed")} failed in the update (one line) and started the app; ${count("crashed")} too small to mount and import ota; all then settled on 1.1.0 at the budget`,
    });
    return points;
  } finally {
    await base.dispose();
    await server.close();
  }
}

export function resourcesSuite(boardName: string): void {
  describe(`${boardName}: resources`, () => {
    test("flash full mid-download: the running version stays, staging gives the flash back, the update goes through once there is room", async () => {
      const result = await runFlashFull(boardName);
      expect(result.problems).toEqual([]);
    });
    test("MemoryError at every heap size: the running version stays, the update completes at the budget", async () => {
      const points = await runHeapSweep(boardName);
      expect(points.flatMap((p) => p.problems).slice(0, 3)).toEqual([]);
      expect(points.some((p) => p.outcome === "staged")).toBe(true);
      expect(points.some((p) => p.outcome !== "staged")).toBe(true);
    });
  });
}
