/**
 * Power loss at every block write. Each scenario brings a freshly flashed device to a base image,
 * counts the block writes n of one process (the action), then for every K in 0..n boots a copy of
 * the base image with the power cut after K writes, and boots it again (new processes, same
 * image) until a boot writes nothing. After every boot the app directory must hold exactly the
 * old or exactly the new version, and the journal must agree with the directories.
 *
 * Device code: the .mpy output (ABI 6, as the unix port loads), at the board's heap budget, on
 * the board's filesystem. `update: "boot"`, so each boot also resumes and finishes updates.
 */
import { targets } from "../../targets/index.js";
import { describe as describeRun, type Device, type HarnessCommand } from "../runtime/device.js";
import { startGithubServer, type GithubServer } from "../runtime/server.js";
import { appRelease, BOOT_SNIPPET, flashDevice, testConfig, type ImageOptions } from "../runtime/updater.js";
import {
  appState, bootAndInspect, installInspector, classifyApp, journalProblems, NO_APP, pool, record, secondsSince,
  type AppRelease, type AppState, type Boot,
} from "./common.js";

const APP_DIR = "/project";
/** Boots after the cut before the device must have settled (a boot that writes nothing). */
const SETTLE_LIMIT = 8;

/** Multi-block data, so files span several FAT sectors and littlefs blocks. */
const DATA = Array.from({ length: 150 }, (_, i) => `sample ${String(i).padStart(4, "0")}: ${"x".repeat(30)}\n`).join("");

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
}

const BOOT: HarnessCommand[] = [["run", BOOT_SNIPPET]];

/** Boots (no cut) and fails with the device's output if the boot crashed. */
async function bootOk(device: Device): Promise<void> {
  const result = await device.run(BOOT_SNIPPET);
  if (result.exception || result.timedOut || (result.code !== 0 && result.exitValue !== 0)) {
    throw new Error(`prepare: boot failed\n${describeRun(result)}`);
  }
}

/** Boots until a boot writes nothing. */
async function settleOk(device: Device): Promise<void> {
  for (let i = 0; i < SETTLE_LIMIT; i++) {
    const result = await device.run(BOOT_SNIPPET);
    if (result.exception || result.timedOut) throw new Error(`prepare: boot failed\n${describeRun(result)}`);
    if (result.writes === 0) return;
  }
  throw new Error("prepare: the device did not settle");
}

export const POWER_SCENARIOS: PowerScenario[] = [
  {
    id: "full-update",
    title: "(a) full update: fresh device, boot stages 1.0.0",
    prepare: async () => {},
    action: BOOT,
    old: NO_APP,
    new: appState(V1),
  },
  {
    id: "first-switch",
    title: "(a') first switch: boot moves the staged 1.0.0 into an empty appDir",
    prepare: async (device) => bootOk(device),
    action: BOOT,
    old: NO_APP,
    new: appState(V1),
  },
  {
    id: "delta-update",
    title: "(b) delta update: boot stages 1.1.0 over 1.0.0 (1 file changed, 1 added, 1 removed)",
    prepare: async (device, server) => {
      await settleOk(device);
      server.publish(V11);
    },
    action: BOOT,
    old: appState(V1),
    new: appState(V11),
  },
  {
    id: "switch",
    title: "(c) boot-time switch: staged 1.1.0 replaces 1.0.0, which goes to /prev",
    prepare: async (device, server) => {
      await settleOk(device);
      server.publish(V11);
      await bootOk(device);
    },
    action: BOOT,
    old: appState(V1),
    new: appState(V11),
  },
  {
    id: "rollback",
    title: `(d) rollback: 1.2.0 unconfirmed after ${TRIAL_BOOTS} trial boots, back to 1.0.0`,
    prepare: async (device, server) => {
      await settleOk(device);
      server.publish(V12_BROKEN);
      for (let boot = 0; boot < 2 + TRIAL_BOOTS - 1; boot++) await bootOk(device); // stage, switch (trial 1), trial 2
    },
    action: BOOT,
    old: appState(V12_BROKEN),
    new: appState(V1),
  },
  {
    id: "revert",
    title: "(e) ota.revert() from 1.1.0 back to 1.0.0",
    prepare: async (device, server) => {
      await settleOk(device);
      server.publish(V11);
      await settleOk(device);
    },
    action: [["run", "import ota\nprint('REVERTED', ota.revert())"]],
    old: appState(V11),
    new: appState(V1),
  },
];

/** What one cut point came to. */
export interface CutOutcome {
  k: number;
  /** Which version ran after the first boot following the cut, and once settled. */
  first?: "old" | "new";
  settled?: "old" | "new";
  boots: number;
  problems: string[];
}

/** Boots until a boot writes nothing, checking every boot; the outcome of one cut point. */
export async function settleAfterCut(device: Device, k: number, states: { old: AppState; new: AppState }): Promise<CutOutcome> {
  const outcome: CutOutcome = { k, boots: 0, problems: [] };
  for (let i = 0; i < SETTLE_LIMIT; i++) {
    const boot: Boot = await bootAndInspect(device);
    outcome.boots++;
    const fail = (problem: string): CutOutcome => {
      outcome.problems.push(`K=${k} boot ${i + 1}: ${problem}`);
      return outcome;
    };
    if (!boot.inspection) return fail(`main.py did not boot\n${describeRun(boot.result)}`);
    if (boot.result.output.some((line) => line.startsWith("ota: update stopped"))) return fail(`an exception escaped ota.update()\n${boot.result.output.join("\n")}`);
    const app = classifyApp(boot.inspection, APP_DIR, { old: states.old, new: states.new });
    if (app.problem) return fail(app.problem);
    const name = app.name as "old" | "new";
    if (i === 0) outcome.first = name;
    const settled = boot.result.writes === 0;
    const problems = journalProblems(boot.inspection, APP_DIR, settled);
    if (problems.length > 0) return fail(`${problems.join("; ")}\n${boot.result.output.join("\n")}`);
    if (!settled) continue;
    const version = states[name].version;
    if (version !== null && !boot.result.output.includes(`APP RUNNING widget ${version}`)) {
      return fail(`settled on ${version} but the app did not run\n${boot.result.output.join("\n")}`);
    }
    outcome.settled = name;
    return outcome;
  }
  outcome.problems.push(`K=${k}: still writing after ${SETTLE_LIMIT} boots`);
  return outcome;
}

/** The result of one scenario on one board. */
export interface ScenarioResult {
  writes: number;
  outcomes: CutOutcome[];
  seconds: number;
}

export interface PowerTarget {
  board: string;
  /** Label in the report, e.g. "esp8266" or "esp8266 fat:4096". */
  label: string;
  image?: ImageOptions;
}

/** Runs every cut point 0..n of one scenario on one board; records the row for the report. */
export async function runPowerScenario(target: PowerTarget, scenario: PowerScenario): Promise<ScenarioResult> {
  const started = Date.now();
  const board = targets.get(target.board)!;
  const server = await startGithubServer({ releases: [V1] });
  const base = await flashDevice(testConfig(board, server, { trialBoots: TRIAL_BOOTS }), target.board, "mpy", undefined, target.image);
  try {
    await installInspector(base);
    await scenario.prepare(base, server);
    const writes = await base.countWrites(scenario.action);
    const cuts = Array.from({ length: writes + 1 }, (_, k) => k);
    const outcomes = await pool(cuts, async (k) => {
      const device = await base.copy();
      try {
        const cut = await device.exec(scenario.action, { cutAfterWrites: k });
        if (!cut.powerCut) return { k, boots: 0, problems: [`K=${k}: the power was not cut (${writes} writes counted)\n${describeRun(cut)}`] };
        return await settleAfterCut(device, k, scenario);
      } finally {
        await device.dispose();
      }
    });
    const seconds = secondsSince(started);
    const count = (key: "first" | "settled", name: string): number => outcomes.filter((o) => o.problems.length === 0 && o[key] === name).length;
    record({
      suite: "power",
      scenario: scenario.title,
      order: POWER_SCENARIOS.indexOf(scenario),
      board: target.label,
      tried: outcomes.length,
      old: count("first", "old"),
      new: count("first", "new"),
      broken: outcomes.filter((o) => o.problems.length > 0).length,
      seconds,
      settled: { old: count("settled", "old"), new: count("settled", "new") },
      maxBoots: Math.max(...outcomes.map((o) => o.boots)),
      note: `K = 0..${writes}`,
    });
    return { writes, outcomes, seconds };
  } finally {
    await base.dispose();
    await server.close();
  }
}

/** The jest suite of one board: one test per scenario, every cut point in each. */
export function powerSuite(target: PowerTarget): void {
  describe(`power cut at every block write: ${target.label}`, () => {
    test.each(POWER_SCENARIOS.map((s) => [s.title, s] as const))("%s", async (_title, scenario) => {
      const result = await runPowerScenario(target, scenario);
      expect(result.writes).toBeGreaterThan(0);
      const problems = result.outcomes.flatMap((o) => o.problems);
      expect(problems.slice(0, 3)).toEqual([]);
      expect(result.outcomes.map((o) => o.k)).toEqual(Array.from({ length: result.writes + 1 }, (_, k) => k));
    });
  });
}
