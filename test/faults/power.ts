/**
 * Power loss at every block write, once and twice. Each scenario brings a freshly flashed device to
 * a base image, counts the block writes n of one process (the action), then for K in 0..n boots a
 * copy of the base image with the power cut after K writes, and boots it again (new processes,
 * same image) until a boot writes nothing. After every boot the app directory must hold exactly
 * the old or exactly the new version, and the journal must agree with the directories.
 *
 * Double cuts: after a first cut at K1, the boot that recovers (n2 writes) is cut again at K2 in
 * 0..n2, then the device boots until it settles. Later update: a device that settled after a cut
 * is then offered a newer release (1.3.0) and must end on it.
 *
 * The app is large on purpose (LARGE_APP): 26 files, 22 of them modules with 57-character names in
 * `lib/`, and `lib/net/link.py` one level deeper, so that `lib/` spans several directory sectors on
 * FAT with 512-byte sectors (16 entries a sector) and two with 4096-byte ones (128 entries: each
 * long name takes 6), while its manifest (about 4 KB) still fits esp8266's 4096-byte limit. A FAT
 * rename cut between its two directory writes only shows when the two entries lie in different
 * sectors: the 6-file app this matrix used before never had them apart.
 *
 * `npm test` runs a sample of the cut points, spread evenly over 0..n with both ends (each row's
 * note says which): 8 single cuts, a 3x3 grid of pairs on the switch and the rollback, 2 later
 * updates. `npm run reliability` sets GEN_OTA_POWER_FULL=1: every single cut, and pairs on every
 * scenario, all of them where there are at most GEN_OTA_POWER_PAIRS (default 1500), else a grid
 * of every first cut and as many second cuts each as keep within that. GEN_OTA_POWER_SINGLE,
 * _FIRST, _SECOND and _LATER set the counts (a number, or "all") for a shorter or longer run.
 *
 * Device code: the .mpy output (ABI 6, as the unix port loads), at the board's heap budget, on
 * the board's filesystem. `update: "boot"`, so each boot also resumes and finishes updates.
 */
import { settle } from "../../generator/simulate/power-cut.js";
import { targets } from "../../targets/index.js";
import { describe as describeRun, type Device, type HarnessCommand, type RunResult } from "../runtime/device.js";
import { startGithubServer, type GithubServer } from "../runtime/server.js";
import { appRelease, BOOT_SNIPPET, flashDevice, testConfig, type ImageOptions } from "../runtime/updater.js";
import { testHeap } from "../runtime/over-budget.js";
import { CURRENT_FIRMWARE, runtimeOrSkip, type Firmware } from "../runtime/firmware.js";
import {
  appState, bootAndInspect, installInspector, classifyApp, journalProblems, NO_APP, pool, record, secondsSince,
  type AppRelease, type AppState, type Boot,
} from "./common.js";

const APP_DIR = "/project";

/** Multi-block data, so files span several FAT sectors and littlefs blocks. */
const DATA = Array.from({ length: 150 }, (_, i) => `sample ${String(i).padStart(4, "0")}: ${"x".repeat(30)}\n`).join("");

/** The small app the network and resource faults use: 6 files. */
export const V1 = appRelease("1.0.0", { extra: { "lib/data.txt": DATA } });
/** A delta from V1: main.py changed, lib/extra.py added, README.txt removed, the rest unchanged. */
export const V11: AppRelease = {
  version: "1.1.0",
  prerelease: false,
  files: {
    ...Object.fromEntries(Object.entries(V1.files).filter(([path]) => path !== "README.txt")),
    "main.py": V1.files["main.py"]!.replace("1.0.0", "1.1.0"),
    "lib/extra.py": "EXTRA = True\n",
  },
};
/** Never confirms itself: rolled back after trialBoots boots. */
export const V12_BROKEN = appRelease("1.2.0", { confirms: false, extra: { "lib/data.txt": DATA } });

/** 22 module names of 57 characters: 6 directory entries each on FAT (5 long-name parts and the 8.3 one). */
export const LONG_MODULES = Array.from({ length: 22 }, (_, i) => `lib/sensor_${String(i).padStart(2, "0")}_calibration_tables_and_filters_for_the_field.py`);

/** The power matrix's app: main.py, lib/{__init__,util}.py, lib/net/link.py and the 22 long-named modules. */
export function largeApp(version: string, options: { confirms?: boolean } = {}): AppRelease {
  const base = appRelease(version, options);
  const files: Record<string, string> = {
    "main.py": base.files["main.py"]!,
    "lib/__init__.py": "",
    "lib/util.py": base.files["lib/util.py"]!,
    "lib/net/link.py": `LINK = "${version}"\n` + "# a module one directory deeper\n".repeat(8),
  };
  for (const [i, path] of LONG_MODULES.entries()) files[path] = `TABLE = ${i}\n` + `# calibration row ${i}\n`.repeat(10);
  return { version, files, prerelease: false };
}

/** What the report calls the large app. */
export const LARGE_APP_SHAPE = "26 files, 22 with 57-char names in lib/, lib/net/ nested; ~9 KB, manifest ~4 KB";

/** Text of about `bytes` bytes, different per version when `version` is given. */
function filler(label: string, bytes: number, version = ""): string {
  const line = `# ${label} ${version} ${"=".repeat(40)}\n`;
  return `${label.toUpperCase().replace(/[^A-Z0-9]/g, "_")} = "${version}"\n` + line.repeat(Math.ceil(bytes / line.length));
}

/**
 * A bigger, deeper app: 14 modules of 4 KB in `lib/` (one folder over several directory sectors at
 * 512 bytes), a package five directories down, assets four down, one 12 KB file; about 80 KB in
 * 22 files. Half the modules change with every version, half never do.
 */
export function bigDeepApp(version: string, options: { confirms?: boolean } = {}): AppRelease {
  const base = appRelease(version, options);
  const deep = "lib/drivers/sensors/i2c/bme280";
  const files: Record<string, string> = {
    "main.py": base.files["main.py"]!,
    "lib/__init__.py": "",
    "lib/util.py": base.files["lib/util.py"]!,
    [`${deep}/__init__.py`]: "",
    [`${deep}/calibration.py`]: filler("calibration", 6000, version),
    "assets/web/static/css/site.css": filler("site css", 3000),
    "assets/web/index.html": filler("index", 12000, version),
  };
  for (let i = 0; i < 14; i++) {
    files[`lib/module_${String(i).padStart(2, "0")}_long_name.py`] = filler(`module ${i}`, 4000, i % 2 === 0 ? version : "");
  }
  return { version, files, prerelease: false };
}

export const BIG_DEEP_APP_SHAPE = "22 files, ~80 KB: 14 modules of 4 KB in lib/, a package 5 folders deep, a 12 KB file";

/** The releases a power matrix runs on: one app shape, in four versions. */
export interface PowerApp {
  /** What the report's app column says. */
  shape: string;
  /** Added to the board's label where it is not the default app, e.g. "80 KB deep app". */
  tag: string;
  v1: AppRelease;
  /** A delta from v1: main.py changed, lib/extra.py added, one file removed, the rest unchanged. */
  v11: AppRelease;
  /** Every file changed; never confirms itself, so it is rolled back after trialBoots boots. */
  v12Broken: AppRelease;
  /** The later update a device must reach after any cut. */
  v13: AppRelease;
}

/** The four releases of an app shape (`make(version, options)`); the delta drops `removed`. */
export function powerApp(shape: string, tag: string, make: (version: string, options?: { confirms?: boolean }) => AppRelease, removed: string): PowerApp {
  const v1 = make("1.0.0");
  if (v1.files[removed] === undefined) throw new Error(`powerApp: ${removed} is not in the app`);
  const v11: AppRelease = {
    version: "1.1.0",
    prerelease: false,
    files: {
      ...Object.fromEntries(Object.entries(v1.files).filter(([path]) => path !== removed)),
      "main.py": v1.files["main.py"]!.replace("1.0.0", "1.1.0"),
      "lib/extra.py": "EXTRA = True\n",
    },
  };
  return { shape, tag, v1, v11, v12Broken: make("1.2.0", { confirms: false }), v13: make("1.3.0") };
}

/** The matrix's default app: many long names, small files. */
export const LARGE_APP = powerApp(LARGE_APP_SHAPE, "", largeApp, LONG_MODULES[5]!);
/** Bigger files and deeper folders than LARGE_APP. */
export const BIG_DEEP_APP = powerApp(BIG_DEEP_APP_SHAPE, "80 KB deep app", bigDeepApp, "lib/module_05_long_name.py");

export const TRIAL_BOOTS = 2;

export interface PowerScenario {
  id: string;
  title: string;
  /** Brings the flashed device to the image every cut starts from. */
  prepare(device: Device, server: GithubServer): Promise<void>;
  /** The process whose block writes are cut. */
  action: HarnessCommand[];
  old: AppState;
  new: AppState;
  /** Where every cut must end once settled (unset: either; a revert cut before it is journaled stays old). */
  mustEnd?: "new";
}

const BOOT: HarnessCommand[] = [["run", BOOT_SNIPPET]];

/** Boots (no cut) and fails with the device's output if the boot crashed. */
async function bootOk(device: Device): Promise<void> {
  const result = await device.run(BOOT_SNIPPET);
  if (result.exception || result.timedOut || (result.code !== 0 && result.exitValue !== 0)) {
    throw new Error(`prepare: boot failed\n${describeRun(result)}`);
  }
}

/** A boot's block writes for the settle loop: unreported (the process died first) counts as writing. */
const writesOf = (result: RunResult): number => result.writes ?? Infinity;

/** Boots until a boot writes nothing. */
async function settleOk(device: Device): Promise<void> {
  const run = await settle({
    boot: async () => {
      const result = await device.run(BOOT_SNIPPET);
      return { result, writes: writesOf(result) };
    },
    check: ({ result }) => (result.exception || result.timedOut ? `boot failed\n${describeRun(result)}` : undefined),
  });
  if (!run.settled) throw new Error(`prepare: ${run.problem}`);
}

/** The scenarios, in the report's order, on one app's releases. */
export function powerScenarios(app: PowerApp): PowerScenario[] {
  const { v1, v11, v12Broken } = app;
  return [
    {
      id: "full-update",
      title: "(a) full update: fresh device, boot stages 1.0.0",
      prepare: async () => {},
      action: BOOT,
      old: NO_APP,
      new: appState(v1),
      mustEnd: "new",
    },
    {
      id: "first-switch",
      title: "(a') first switch: boot moves the staged 1.0.0 into an empty appDir",
      prepare: async (device) => bootOk(device),
      action: BOOT,
      old: NO_APP,
      new: appState(v1),
      mustEnd: "new",
    },
    {
      id: "delta-update",
      title: "(b) delta update: boot stages 1.1.0 over 1.0.0 (1 file changed, 1 added, 1 removed)",
      prepare: async (device, server) => {
        await settleOk(device);
        server.publish(v11);
      },
      action: BOOT,
      old: appState(v1),
      new: appState(v11),
      mustEnd: "new",
    },
    {
      id: "switch",
      title: "(c) boot-time switch: staged 1.1.0 replaces 1.0.0, which goes to /prev",
      prepare: async (device, server) => {
        await settleOk(device);
        server.publish(v11);
        await bootOk(device);
      },
      action: BOOT,
      old: appState(v1),
      new: appState(v11),
      mustEnd: "new",
    },
    {
      id: "rollback",
      title: `(d) rollback: 1.2.0 (every file changed) unconfirmed after ${TRIAL_BOOTS} trial boots, back to 1.0.0`,
      prepare: async (device, server) => {
        await settleOk(device);
        server.publish(v12Broken);
        for (let boot = 0; boot < 2 + TRIAL_BOOTS - 1; boot++) await bootOk(device); // stage, switch (trial 1), trial 2
      },
      action: BOOT,
      old: appState(v12Broken),
      new: appState(v1),
      mustEnd: "new",
    },
    {
      id: "revert",
      title: "(e) ota.revert() from 1.1.0 back to 1.0.0",
      prepare: async (device, server) => {
        await settleOk(device);
        server.publish(v11);
        await settleOk(device);
      },
      action: [["run", "import ota\nprint('REVERTED', ota.revert())"]],
      old: appState(v11),
      new: appState(v1),
    },
  ];
}

/** What one cut point (or pair) came to. */
export interface CutOutcome {
  k: number;
  /** Which version ran after the first boot following the cut, and once settled. */
  first?: "old" | "new";
  settled?: "old" | "new";
  boots: number;
  problems: string[];
  /** What the last boot printed: the reason when a device settled where it must not. */
  lastOutput?: string[];
  /** A boot rolled the version back as never confirmed after trialBoots boots on trial. */
  trialRollback?: boolean;
}

/**
 * Boots until a boot writes nothing (the loop `gen-ota simulate --power-cut` uses too), checking
 * after every boot that appDir holds exactly one version, the journal agrees with the directories,
 * no exception escaped the updater, and a settled device runs its app; the outcome of one cut point.
 */
export async function settleAfterCut(device: Device, k: number | string, states: { old: AppState; new: AppState }): Promise<CutOutcome> {
  const outcome: CutOutcome = { k: typeof k === "number" ? k : -1, boots: 0, problems: [] };
  const check = (boot: Boot, index: number, settled: boolean): string | undefined => {
    if (!boot.inspection) return `main.py did not boot\n${describeRun(boot.result)}`;
    if (boot.result.output.some((line) => line.includes(" not confirmed after "))) outcome.trialRollback = true;
    for (const stopped of ["ota: update stopped", "ota: boot stopped"]) {
      if (boot.result.output.some((line) => line.startsWith(stopped))) return `an exception escaped the updater\n${boot.result.output.join("\n")}`;
    }
    const app = classifyApp(boot.inspection, APP_DIR, { old: states.old, new: states.new });
    if (app.problem) return app.problem;
    const name = app.name as "old" | "new";
    if (index === 0) outcome.first = name;
    const problems = journalProblems(boot.inspection, APP_DIR, settled, { fat: device.options.fs === "fat", apps: [states.old, states.new] });
    if (problems.length > 0) return `${problems.join("; ")}\n${boot.result.output.join("\n")}`;
    outcome.lastOutput = boot.result.output;
    const version = states[name].version;
    if (settled && version !== null && !boot.result.output.includes(`APP RUNNING widget ${version}`)) {
      return `settled on ${version} but the app did not run\n${boot.result.output.join("\n")}`;
    }
    if (settled) outcome.settled = name;
    return undefined;
  };
  const run = await settle<Boot & { writes: number }>({
    boot: async () => {
      const boot = await bootAndInspect(device);
      return { ...boot, writes: writesOf(boot.result) };
    },
    check,
  });
  outcome.boots = run.boots.length;
  if (run.problem !== undefined) outcome.problems.push(run.failedBoot !== undefined ? `K=${k} boot ${run.failedBoot}: ${run.problem}` : `K=${k}: ${run.problem}`);
  return outcome;
}

/** Every single cut and a grid of pairs under `npm run reliability`; a sample under `npm test`. */
export const FULL = process.env["GEN_OTA_POWER_FULL"] === "1";

/** How many cut points one run tries. */
export interface CutPlan {
  /** Single cuts per scenario (Infinity: every one). */
  single: number;
  /** Double cuts: first cuts, and second cuts in each recovery; `pairs` caps their product. */
  first: number;
  second: number;
  pairs: number;
  /** Devices that settled after a cut and are then offered 1.3.0, per scenario. */
  later: number;
}

/** A count from the environment ("all": every one), e.g. GEN_OTA_POWER_SINGLE=40 for a shorter full run. */
function envCount(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  return value === "all" ? Infinity : Number(value);
}

/** The counts `npm test` samples with, unless a target asks for fewer (see PowerTarget.sample). */
const SAMPLE: CutPlan = { single: 8, first: 3, second: 3, pairs: 9, later: 2 };

/** What one target runs: the environment's counts, else every cut (FULL) or the target's sample. */
export function planFor(target: { sample?: Partial<CutPlan> }): CutPlan {
  const sample = { ...SAMPLE, ...target.sample };
  return {
    single: envCount("GEN_OTA_POWER_SINGLE", FULL ? Infinity : sample.single),
    first: envCount("GEN_OTA_POWER_FIRST", FULL ? Infinity : sample.first),
    second: envCount("GEN_OTA_POWER_SECOND", FULL ? Infinity : sample.second),
    pairs: envCount("GEN_OTA_POWER_PAIRS", FULL ? 1500 : sample.pairs),
    later: envCount("GEN_OTA_POWER_LATER", FULL ? 40 : sample.later),
  };
}

/** `count` cut points spread evenly over 0..n, both ends in; all of them when there are no more. */
export function spread(n: number, count: number): number[] {
  if (n + 1 <= count) return Array.from({ length: n + 1 }, (_, k) => k);
  const picks = new Set<number>();
  for (let i = 0; i < count; i++) picks.add(Math.round((i * n) / (count - 1)));
  return [...picks].sort((a, b) => a - b);
}

/** "K = 0..n" or "10 of K = 0..n, spread". */
const cutNote = (cuts: number[], n: number): string => (cuts.length === n + 1 ? `K = 0..${n}` : `${cuts.length} of K = 0..${n}, spread evenly`);

/** The result of one scenario on one board. */
export interface ScenarioResult {
  writes: number;
  outcomes: CutOutcome[];
  /** Devices that settled after a cut, then updated to 1.3.0. */
  later: CutOutcome[];
  seconds: number;
}

export interface PowerTarget {
  board: string;
  /** Label in the report, e.g. "esp8266 fat:512". */
  label: string;
  image?: ImageOptions;
  /** The MicroPython it runs on (default 1.25, the unix port this repo builds). */
  firmware?: Firmware;
  /** Fewer cuts than SAMPLE under `npm test`, to keep CI's time (the full run ignores it). */
  sample?: Partial<CutPlan>;
  /** Under `npm test`, only these scenarios (ids), to keep CI's time; the full run runs all. */
  sampleScenarios?: readonly string[];
  /** The app its releases carry (default LARGE_APP). */
  app?: PowerApp;
}

const app = (target: PowerTarget): PowerApp => target.app ?? LARGE_APP;

/** The report's board column: the label, and the firmware when it is not 1.25. */
export const targetLabel = (target: PowerTarget): string =>
  [target.label, target.firmware && target.firmware !== CURRENT_FIRMWARE ? target.firmware.version : "", app(target).tag].filter(Boolean).join(" · ");

/** A flashed device brought to the scenario's base image, with its server. */
async function baseDevice(target: PowerTarget, scenario: PowerScenario): Promise<{ base: Device; server: GithubServer }> {
  const board = targets.get(target.board)!;
  const server = await startGithubServer({ releases: [app(target).v1] });
  const heap = testHeap({ board: target.board, variant: "mpy", firmware: target.firmware });
  const firmware = target.firmware ?? CURRENT_FIRMWARE;
  const image: ImageOptions = { ...target.image, micropython: runtimeOrSkip(firmware), mpyAbi: firmware.abi };
  const base = await flashDevice(testConfig(board, server, { trialBoots: TRIAL_BOOTS }), target.board, "mpy", heap, image);
  await installInspector(base);
  await scenario.prepare(base, server);
  return { base, server };
}

/** Problems of an outcome against the scenario's end: a cut that settled where it must not ("stuck"). */
const stuck = (scenario: PowerScenario, outcome: CutOutcome): boolean =>
  outcome.problems.length === 0 && scenario.mustEnd !== undefined && outcome.settled !== scenario.mustEnd;

/**
 * Offers 1.3.0 to devices that settled after a cut and boots each until it settles: every one must
 * end on 1.3.0. Disposes of the devices.
 */
async function laterUpdate(server: GithubServer, later: AppRelease, settled: Array<{ device: Device; k: string; state: AppState }>): Promise<CutOutcome[]> {
  server.publish(later);
  return pool(settled, async ({ device, k, state }) => {
    try {
      const outcome = await settleAfterCut(device, `${k} then ${later.version}`, { old: state, new: appState(later) });
      if (outcome.problems.length === 0 && outcome.settled !== "new") {
        outcome.problems.push(`K=${k}: did not end on ${later.version} after a later update\n${(outcome.lastOutput ?? []).join("\n")}`);
      }
      return outcome;
    } finally {
      await device.dispose();
    }
  });
}

/** Runs the planned cut points of one scenario on one board; records the row for the report. */
export async function runPowerScenario(target: PowerTarget, scenario: PowerScenario): Promise<ScenarioResult> {
  const started = Date.now();
  const { base, server } = await baseDevice(target, scenario);
  const plan = planFor(target);
  try {
    const writes = await base.countWrites(scenario.action);
    const cuts = spread(writes, plan.single);
    const keep = new Set(spread(cuts.length - 1, plan.later).map((i) => cuts[i]!));
    const settled: Array<{ device: Device; k: string; state: AppState }> = [];
    const outcomes = await pool(cuts, async (k) => {
      const device = await base.copy();
      let kept = false;
      try {
        const cut = await device.exec(scenario.action, { cutAfterWrites: k });
        if (!cut.powerCut) return { k, boots: 0, problems: [`K=${k}: the power was not cut (${writes} writes counted)\n${describeRun(cut)}`] };
        const outcome = await settleAfterCut(device, k, scenario);
        if (stuck(scenario, outcome)) outcome.problems.push(`K=${k}: stuck on ${scenario.old.version}`);
        if (outcome.problems.length === 0 && keep.has(k)) {
          settled.push({ device, k: String(k), state: scenario[outcome.settled!] });
          kept = true;
        }
        return outcome;
      } finally {
        if (!kept) await device.dispose();
      }
    });
    const later = await laterUpdate(server, app(target).v13, settled);
    const seconds = secondsSince(started);
    recordRow(target, scenario, "single", outcomes, later, seconds, `${cutNote(cuts, writes)}; then 1.3.0 on ${later.length}`, Math.max(...outcomes.map((o) => o.boots)));
    return { writes, outcomes, later, seconds };
  } finally {
    await base.dispose();
    await server.close();
  }
}

/**
 * Cuts the action at K1, then the boot that recovers at K2, then boots until settled; pairs from
 * the plan (every one when they are few enough). Records one row.
 */
export async function runDoubleCuts(target: PowerTarget, scenario: PowerScenario): Promise<ScenarioResult> {
  const started = Date.now();
  const { base, server } = await baseDevice(target, scenario);
  const plan = planFor(target);
  try {
    const writes = await base.countWrites(scenario.action);
    // each first cut, and the writes of the boot that recovers from it
    const firsts = spread(writes, plan.first);
    const recoveries = await pool(firsts, async (k1) => {
      const device = await base.copy();
      const cut = await device.exec(scenario.action, { cutAfterWrites: k1 });
      if (!cut.powerCut) throw new Error(`K1=${k1}: the power was not cut\n${describeRun(cut)}`);
      return { k1, device, writes: await device.countWrites(BOOT) };
    });
    // a recovery that writes nothing cannot be cut (K2 = 0 drops the first write attempt)
    const cuttable = recoveries.filter((r) => r.writes > 0);
    const total = cuttable.reduce((sum, r) => sum + r.writes + 1, 0);
    const perAxis = Math.max(2, Math.min(plan.second, Math.ceil(plan.pairs / firsts.length)));
    const every = plan.second === Infinity && total <= plan.pairs;
    const pairs = cuttable.flatMap((r) => (every ? spread(r.writes, Infinity) : spread(r.writes, perAxis)).map((k2) => ({ ...r, k2 })));
    const keep = new Set(spread(pairs.length - 1, plan.later));
    const settled: Array<{ device: Device; k: string; state: AppState }> = [];
    const outcomes = await pool(pairs, async ({ k1, k2, device: afterFirst }, index) => {
      const device = await afterFirst.copy();
      let kept = false;
      const k = `${k1},${k2}`;
      try {
        const cut = await device.exec(BOOT, { cutAfterWrites: k2 });
        if (!cut.powerCut) return { k: k1, boots: 0, problems: [`K=${k}: the second cut did not happen\n${describeRun(cut)}`] };
        const outcome = await settleAfterCut(device, k, scenario);
        // two cuts can both land in trial boots, after each counted itself and before the app
        // confirmed: trialBoots unconfirmed boots, which the trial rolls back by design
        if (stuck(scenario, outcome) && !outcome.trialRollback) outcome.problems.push(`K=${k}: stuck on ${scenario.old.version}`);
        if (outcome.problems.length === 0 && keep.has(index)) {
          settled.push({ device, k, state: scenario[outcome.settled!] });
          kept = true;
        }
        return outcome;
      } finally {
        if (!kept) await device.dispose();
      }
    });
    await Promise.all(recoveries.map((r) => r.device.dispose()));
    const later = await laterUpdate(server, app(target).v13, settled);
    const seconds = secondsSince(started);
    const shape = every
      ? `every pair: K1 ${cutNote(firsts, writes)}, K2 = every write of the recovery`
      : `grid: K1 ${cutNote(firsts, writes)}, K2 ${perAxis} spread over each recovery's 0..n2 (n2 ≤ ${Math.max(0, ...recoveries.map((r) => r.writes))})`;
    recordRow(target, scenario, "double", outcomes, later, seconds, `${shape}; then 1.3.0 on ${later.length}`, Math.max(...outcomes.map((o) => o.boots)));
    return { writes, outcomes, later, seconds };
  } finally {
    await base.dispose();
    await server.close();
  }
}

function recordRow(
  target: PowerTarget, scenario: PowerScenario, cuts: "single" | "double", outcomes: CutOutcome[], later: CutOutcome[],
  seconds: number, note: string, maxBoots: number,
): void {
  const clean = outcomes.filter((o) => o.problems.length === 0);
  const count = (key: "first" | "settled", name: string): number => clean.filter((o) => o[key] === name).length;
  record({
    suite: "power",
    scenario: cuts === "single" ? scenario.title : `${scenario.title}, a second cut in the recovery`,
    order: powerScenarios(app(target)).findIndex((s) => s.id === scenario.id) * 2 + (cuts === "double" ? 1 : 0),
    board: targetLabel(target),
    app: app(target).shape,
    tried: outcomes.length,
    old: count("first", "old"),
    new: count("first", "new"),
    broken: outcomes.filter((o) => o.problems.length > 0 && !o.problems.some((p) => p.includes(": stuck on "))).length + later.filter((o) => o.problems.length > 0).length,
    stuck: outcomes.filter((o) => o.problems.some((p) => p.includes(": stuck on "))).length,
    seconds,
    settled: { old: count("settled", "old"), new: count("settled", "new") },
    later: { tried: later.length, newest: later.filter((o) => o.problems.length === 0 && o.settled === "new").length },
    maxBoots,
    note,
  });
}

const problemsOf = (result: ScenarioResult): string[] => [...result.outcomes, ...result.later].flatMap((o) => o.problems);

/** The scenarios whose recovery is cut a second time in `npm test` (all of them under reliability). */
const DOUBLE_IN_CI = new Set(["switch", "rollback"]);

/** Per test: the sample takes a minute or two under qemu, the full matrix hours. */
const TIMEOUT_MS = FULL ? 12 * 3600_000 : 900_000;

/** The jest suite of one board and filesystem: one test per scenario and cut kind. */
export function powerSuite(target: PowerTarget): void {
  const given = target.firmware === undefined || runtimeOrSkip(target.firmware) !== undefined;
  (given ? describe : describe.skip)(`power cut at block writes: ${targetLabel(target)}${FULL ? "" : " (a sample: npm run reliability runs every cut)"}`, () => {
    const scenarios = powerScenarios(app(target)).filter((s) => FULL || !target.sampleScenarios || target.sampleScenarios.includes(s.id));
    test.each(scenarios.map((s) => [s.title, s] as const))("%s", async (_title, scenario) => {
      const result = await runPowerScenario(target, scenario);
      expect(result.writes).toBeGreaterThan(0);
      expect(problemsOf(result).slice(0, 3)).toEqual([]);
      expect(result.outcomes.map((o) => o.k)).toEqual(spread(result.writes, planFor(target).single));
      expect(result.later.every((o) => o.settled === "new")).toBe(true);
    }, TIMEOUT_MS);
    const doubles = scenarios.filter((s) => FULL || DOUBLE_IN_CI.has(s.id));
    test.each(doubles.map((s) => [s.title, s] as const))("%s, a second cut in the recovery", async (_title, scenario) => {
      const result = await runDoubleCuts(target, scenario);
      expect(result.outcomes.length).toBeGreaterThan(0);
      expect(problemsOf(result).slice(0, 3)).toEqual([]);
      expect(result.later.every((o) => o.settled === "new")).toBe(true);
    }, TIMEOUT_MS);
  });
}
