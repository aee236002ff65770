/** Drives a simulated board through an update, boot after boot, on any runtime; and through a power cut at a given write. */

import { createHash } from "node:crypto";
import type { ResolvedConfig } from "../config/resolved.js";
import type { BootAction, BootResult } from "./runtime.js";
import { cutAndSettle } from "./power-cut.js";
import type { SimRelease } from "./versions.js";

/** A simulated board on some runtime. */
export interface SimDevice {
  /** One power-on (or an app's `ota.update()`); cut the power after `cutAfter` more block writes, if given. */
  boot(action: BootAction, cutAfter: number | null): Promise<BootResult & { writes: number }>;
  /** The version in appDir/.version, the sha256 of each app file (dotfiles left out), and the journal's state. */
  appState(appDir: string): Promise<DeviceState>;
  /** A copy of the board as it is now, e.g. one per cut point. */
  fork(): Promise<SimDevice>;
  dispose(): Promise<void>;
}

/** What a board holds after a run. */
export interface DeviceState {
  version: string | null;
  files: Record<string, string>;
  /** `state` of the journal: its valid slot (/ota.j0, /ota.j1) with the highest sequence number, or null. */
  journal: string | null;
}

/** The journal slots' paths on the device (templates/ota.py.hbs). */
export const JOURNAL_SLOTS = ["/ota.j0", "/ota.j1"] as const;

/**
 * The journal as the device reads it from the texts of its slots: a slot is the sha256 (hex) of its
 * JSON, then the JSON; of the slots whose checksum holds, the one with the highest `seq`.
 */
export function readJournalSlots(texts: readonly (string | null | undefined)[]): Record<string, unknown> | undefined {
  let newest: Record<string, unknown> | undefined;
  for (const text of texts) {
    if (!text || text.length < 64) continue;
    const body = text.slice(64);
    if (createHash("sha256").update(body, "utf8").digest("hex") !== text.slice(0, 64)) continue;
    try {
      const value = JSON.parse(body) as unknown;
      if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
      const journal = value as Record<string, unknown>;
      if (typeof journal["seq"] !== "number" || !("state" in journal)) continue;
      if (newest === undefined || (journal["seq"] as number) > (newest["seq"] as number)) newest = journal;
    } catch {
      // unreadable: the device tries the other slot
    }
  }
  return newest;
}

/** The journal's state from the texts of its slots, as the device reads it. */
export function journalState(texts: readonly (string | null | undefined)[]): string | null {
  const state = readJournalSlots(texts)?.["state"];
  return typeof state === "string" ? state : null;
}

/** One boot in a run. */
export interface BootRecord extends BootResult {
  action: BootAction;
  writes: number;
}

/** Which version appDir holds: exactly the old one, exactly the new one, or neither. */
export type AppState = "old" | "new" | "broken";

/** A run of boots and where it left the board. */
export interface RunOutcome {
  boots: BootRecord[];
  /** Block writes over every boot. */
  writes: number;
  /** The power was cut (the run stopped there). */
  cut: boolean;
  state: AppState;
  version: string | null;
  /** The new version confirmed itself. */
  confirmed: boolean;
}

/** The two versions and the config they run under. */
export interface UpdatePlan {
  config: ResolvedConfig;
  from: SimRelease;
  to: SimRelease;
}

/** old / new / broken for the app files found. */
export function classify(files: Record<string, string>, plan: UpdatePlan): AppState {
  const same = (hashes: Record<string, string>): boolean =>
    Object.keys(hashes).length === Object.keys(files).length && Object.entries(hashes).every(([path, sha]) => files[path] === sha);
  if (same(plan.to.hashes)) return "new";
  if (same(plan.from.hashes)) return "old";
  return "broken";
}

/**
 * Boots until the new version confirms itself (or trialBoots + 3 boots); stops at a power cut
 * after `cutAt` writes. `onBoot` hears of each boot as it ends.
 */
export async function runUpdate(device: SimDevice, plan: UpdatePlan, cutAt: number | null = null, onBoot?: (boot: BootRecord, index: number) => void): Promise<RunOutcome> {
  const boots: BootRecord[] = [];
  let writes = 0;
  let cut = false;
  let confirmed = false;
  let askedUpdate = false;
  const limit = plan.config.trialBoots + 3;
  while (boots.length < limit) {
    const action: BootAction = plan.config.update === "manual" && boots.length > 0 && !askedUpdate && boots.at(-1)?.end !== "reset" ? "update" : "boot";
    if (action === "update") askedUpdate = true;
    const result = await device.boot(action, cutAt === null ? null : cutAt - writes);
    boots.push({ ...result, action });
    onBoot?.(boots.at(-1)!, boots.length);
    writes += result.writes;
    if (result.end === "power-cut") {
      cut = true;
      break;
    }
    if (result.end === "confirmed") {
      confirmed = true;
      break;
    }
  }
  const found = await device.appState(plan.config.appDir);
  const kept = found.version === plan.to.version && found.journal === "idle";
  return { boots, writes, cut, state: classify(found.files, plan), version: found.version, confirmed: confirmed || kept };
}

/** What a cut at one write leaves: the state after the next boot, whether the boots after it settled, and where a later update ends. */
export interface CutOutcome {
  at: number;
  afterReboot: AppState;
  /** Boots after the cut until one wrote nothing; null when the device was still writing after SETTLE_LIMIT boots. */
  settledAfter: number | null;
  final: AppState;
  finalVersion: string | null;
  confirmed: boolean;
}

/**
 * Cuts the power at block write `at` of the update on a fork of `device`, boots it until it
 * settles (the loop the fault tests use, power-cut.ts), then runs the update again to its end.
 */
export async function cutAndReboot(device: SimDevice, plan: UpdatePlan, at: number): Promise<CutOutcome> {
  const board = await device.fork();
  try {
    let afterReboot: AppState | undefined;
    const boots = await cutAndSettle(async () => (await runUpdate(board, plan, at)).cut, {
      boot: () => board.boot("boot", null),
      check: async (_boot, index) => {
        if (index === 0) afterReboot = classify((await board.appState(plan.config.appDir)).files, plan);
        return undefined;
      },
    });
    afterReboot ??= classify((await board.appState(plan.config.appDir)).files, plan);
    const rest = await runUpdate(board, plan, null);
    // an update that ended before write `at` was never cut: nothing to settle
    const settledAfter = !boots.powerCut ? 0 : boots.settled ? boots.boots.length : null;
    return { at, afterReboot, settledAfter, final: rest.state, finalVersion: rest.version, confirmed: rest.confirmed };
  } finally {
    await board.dispose();
  }
}
