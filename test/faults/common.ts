/**
 * Shared by the fault tests: what a device holds after a boot (one process that boots and then
 * inspects the image), the invariants every boot must keep, a concurrency pool, and the records
 * `npm run reliability` turns into docs/reliability.md.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { describe as describeRun, type Device, type RunResult } from "../runtime/device.js";
import { BOOT_SNIPPET, type appRelease } from "../runtime/updater.js";
import { JOURNAL_SLOTS, readJournalSlots } from "../../generator/simulate/session.js";

export type AppRelease = ReturnType<typeof appRelease>;

export const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/** The boards the fault matrix runs on, with the filesystem each uses. */
export const BOARDS = ["esp8266", "esp32", "rp2-pico-w"] as const;
export type BoardName = (typeof BOARDS)[number];

/** What an app directory may hold: a version (null: no app) and its files, path → sha256. */
export interface AppState {
  version: string | null;
  files: Record<string, string>;
}

export const NO_APP: AppState = { version: null, files: {} };

export function appState(release: AppRelease): AppState {
  return { version: release.version, files: Object.fromEntries(Object.entries(release.files).map(([path, text]) => [path, sha256(text)])) };
}

/** The image as one process saw it: every file with its hash, every directory, the small text files. */
export interface Inspection {
  files: Record<string, string>;
  dirs: Set<string>;
  /** Contents of the journal's slots /ota.j0, /ota.j1 and every .version and .manifest; absent when missing. */
  texts: Record<string, string>;
  /** Directories os.ilistdir raised on (a name of junk bytes), with the exception's name. */
  unlistable: Record<string, string>;
}

/**
 * Lists the image: every directory, every file with its sha256, and the contents of the small
 * files the invariants read. A module on the image rather than a `run` snippet: exec'd code that
 * reads a file in a loop through the harness's block device dies with "FATAL: uncaught NLR" on
 * the 32-bit unix port 1.25, while imported code does not. Imported only after main.py is done,
 * so it takes no heap from the boot it inspects.
 */
const INSPECTOR = `import os, sys, hashlib, binascii


def _hash(p):
    h = hashlib.sha256()
    b = bytearray(256)
    with open(p, 'rb') as f:
        while True:
            n = f.readinto(b)
            if not n:
                break
            h.update(memoryview(b)[:n])
    return binascii.hexlify(h.digest()).decode()


def _walk(d):
    try:
        found = sorted(os.ilistdir(d))
    except Exception as e:  # junk a power cut left in a FAT directory (docs/protocol.md)
        print('INSPECT UNLISTABLE', d, type(e).__name__)
        return
    for e in found:
        p = d.rstrip('/') + '/' + e[0]
        if e[1] == 0x4000:
            print('INSPECT DIR', p)
            _walk(p)
            continue
        try:
            print('INSPECT FILE', p, _hash(p))
        except Exception as e:
            print('INSPECT FILE', p, 'unreadable')
        if e[0] in ('.version', '.manifest', 'ota.j0', 'ota.j1'):
            _text(p)


def _text(p):
    # in pieces: after an update the heap of a small board has no room for a whole file
    b = bytearray(128)
    sys.stdout.write('INSPECT TEXT ' + p + ' ')
    with open(p, 'rb') as f:
        while True:
            n = f.readinto(b)
            if not n:
                break
            sys.stdout.write(binascii.hexlify(memoryview(b)[:n]))
    sys.stdout.write('\\n')


_walk('/')
`;

/** Where the inspector lives on the image; the listing leaves it out. */
export const INSPECTOR_PATH = "/lib/fault_inspect.py";

/** Puts the inspector on the image (before any write is counted). */
export async function installInspector(device: Device): Promise<void> {
  await device.put(Buffer.from(INSPECTOR), INSPECTOR_PATH);
}

/** A `run` snippet that prints the inspection (INSPECT lines). */
export const INSPECT = "import sys\nsys.modules.pop('fault_inspect', None)\nimport fault_inspect\n";

/** Runs main.py like a power-on (a simulated machine.reset() ends it as it would the board's), then inspects. */
const BOOT_THEN_INSPECT = BOOT_SNIPPET.replace(
  "import main\n",
  "try:\n    import main\nexcept SystemExit as e:\n    if e.args and e.args[0]:\n        raise\n",
);

export function parseInspection(lines: string[]): Inspection {
  const inspection: Inspection = { files: {}, dirs: new Set(), texts: {}, unlistable: {} };
  for (const line of lines) {
    const unlistable = /^INSPECT UNLISTABLE (.+) (\w+)$/.exec(line);
    if (unlistable) inspection.unlistable[unlistable[1]!] = unlistable[2]!;
    const match = /^INSPECT (DIR|FILE|TEXT) (.+)$/.exec(line);
    if (!match) continue;
    const [, kind, rest] = match as unknown as [string, string, string];
    if (kind === "DIR") {
      inspection.dirs.add(rest);
      continue;
    }
    // the path may hold spaces; the hash or the hex content after it does not
    const at = rest.lastIndexOf(" ");
    const path = rest.slice(0, at);
    const value = rest.slice(at + 1);
    if (kind === "FILE" && path !== INSPECTOR_PATH) inspection.files[path] = value;
    else if (kind === "TEXT") inspection.texts[path] = Buffer.from(value, "hex").toString("utf8");
  }
  return inspection;
}

/** One boot of the device and what it left on the image. */
export interface Boot {
  result: RunResult;
  /** Undefined when the boot did not end normally (exception, timeout, power cut). */
  inspection?: Inspection;
}

export async function bootAndInspect(device: Device): Promise<Boot> {
  const result = await device.exec([["run", BOOT_THEN_INSPECT], ["run", INSPECT]]);
  const clean = result.code === 0 && !result.exception && !result.timedOut && !result.powerCut;
  return clean ? { result, inspection: parseInspection(result.lines) } : { result };
}

/** Just the inspection, in its own process (nothing of the device code runs). */
export async function inspect(device: Device): Promise<Inspection> {
  const result = await device.run(INSPECT);
  if (result.code !== 0) throw new Error(`inspect failed:\n${describeRun(result)}`);
  return parseInspection(result.lines);
}

/** The app files under appDir (dotfiles, the updater's own, left out). */
export function appFiles(inspection: Inspection, appDir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [path, hash] of Object.entries(inspection.files)) {
    if (!path.startsWith(`${appDir}/`)) continue;
    const relative = path.slice(appDir.length + 1);
    if (!relative.split("/").some((part) => part.startsWith("."))) files[relative] = hash;
  }
  return files;
}

const sameFiles = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([path, hash]) => b[path] === hash);

const versionIn = (inspection: Inspection, dir: string): string | null => inspection.texts[`${dir}/.version`]?.trim() ?? null;

/** Which of the given states appDir holds exactly (files, .version and .manifest), or a description of the mix. */
export function classifyApp(inspection: Inspection, appDir: string, states: Record<string, AppState>): { name?: string; problem?: string } {
  const files = appFiles(inspection, appDir);
  const version = versionIn(inspection, appDir);
  for (const [name, state] of Object.entries(states)) {
    if (state.version !== version || !sameFiles(files, state.files)) continue;
    if (state.version !== null) {
      const manifest = parseJson(inspection.texts[`${appDir}/.manifest`]);
      if (!isRecord(manifest) || manifest["version"] !== state.version) return { problem: `${appDir}/.manifest does not name ${state.version}` };
    }
    return { name };
  }
  return { problem: `${appDir} holds neither ${Object.entries(states).map(([n, s]) => `${n} (${s.version})`).join(" nor ")}: .version ${version}, files ${JSON.stringify(files)}` };
}

/** The journal as the device reads it: the valid slot with the highest sequence number, else none. */
export function readJournal(inspection: Inspection): Record<string, unknown> | undefined {
  return readJournalSlots(JOURNAL_SLOTS.map((path) => inspection.texts[path]));
}

/** Problems with the journal against the directories, after a boot() that completed. */
/**
 * What the journal and the directories say, against each other. Settled, no staging may be left;
 * on FAT a /next holding only entries no manifest names stays by design (docs/protocol.md), so
 * there it counts as left behind when it holds a version's marker or a file one of `apps` has.
 */
export function journalProblems(inspection: Inspection, appDir: string, settled: boolean, staging: { fat?: boolean; apps?: AppState[] } = {}): string[] {
  const problems: string[] = [];
  const journal = readJournal(inspection);
  const appVersion = versionIn(inspection, appDir);
  const prevVersion = versionIn(inspection, "/prev");
  if (journal === undefined) {
    if (appVersion !== null) problems.push(`no readable journal while ${appDir} holds ${appVersion}`);
    return problems;
  }
  const state = journal["state"];
  if (!["idle", "staging", "staged", "trial"].includes(String(state))) problems.push(`journal state ${String(state)} after boot`);
  if ((journal["version"] ?? null) !== appVersion) problems.push(`journal version ${String(journal["version"])} but ${appDir} holds ${appVersion}`);
  if ((journal["prev"] ?? null) !== prevVersion) problems.push(`journal prev ${String(journal["prev"])} but /prev holds ${prevVersion}`);
  if (state === "staged" && versionIn(inspection, "/next") !== journal["next"]) problems.push(`journal staged ${String(journal["next"])} but /next is incomplete`);
  if (settled) {
    if (state !== "idle") problems.push(`settled in state ${String(state)}`);
    if (inspection.dirs.has("/trash")) problems.push("/trash left behind");
    const named = new Set([".manifest", ".version", ...(staging.apps ?? []).flatMap((app) => Object.keys(app.files))]);
    const staged = Object.keys(inspection.files).filter((path) => path.startsWith("/next/") && named.has(path.slice("/next/".length)));
    if (inspection.dirs.has("/next") && (!staging.fat || staged.length > 0)) problems.push(`/next left behind${staged.length > 0 ? ` (${staged.join(", ")})` : ""}`);
  }
  return problems;
}

export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Runs fn over items with at most `limit` at once; results in the items' order. */
export async function pool<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, limit = POOL): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** MicroPython processes run at once by one test file: every core busy, and a little over for the I/O waits. */
export const POOL = Math.max(2, availableParallelism() + 1);

/** One row of docs/reliability.md. */
export interface ReportRow {
  suite: "power" | "network" | "manifest" | "resources" | "config";
  scenario: string;
  /** Where the scenario comes in its suite's table. */
  order?: number;
  board: string;
  /** Cut points, cases or inputs tried. */
  tried: number;
  old: number;
  new: number;
  broken: number;
  seconds: number;
  /** Power cuts: the version the device settled on, and the most boots it took. */
  settled?: { old: number; new: number };
  /** Power cuts: settled where the scenario must not end (a rollback left on the bad version); counted apart from broken. */
  stuck?: number;
  /** Power cuts: devices offered a later release after settling, and how many ended on it. */
  later?: { tried: number; newest: number };
  /** The app the scenario updates, in words. */
  app?: string;
  maxBoots?: number;
  /** A short note on what was tried (e.g. the cut-point range, the filesystem). */
  note?: string;
  /** Per-case detail the report lists (e.g. each hostile manifest and the line refusing it). */
  cases?: Array<{ id: string; line?: string }>;
}

/** Where `npm run reliability` wants report rows (GEN_OTA_RELIABILITY_OUT); unset under `npm test`. */
const RELIABILITY_OUT = process.env["GEN_OTA_RELIABILITY_OUT"];

/** True under `npm run reliability`: suites that sample for CI's time under `npm test` run everything. */
export const RELIABILITY_RUN = RELIABILITY_OUT !== undefined;

/**
 * Saves a row for the report when `npm run reliability` asked for one (RELIABILITY_OUT names the
 * directory); the test itself asserts, this only keeps the figures.
 */
export function record(row: ReportRow): void {
  const out = RELIABILITY_OUT;
  if (!out) return;
  mkdirSync(out, { recursive: true });
  const name = `${row.suite}-${row.board}-${row.scenario}`.replace(/[^A-Za-z0-9.-]+/g, "_");
  writeFileSync(join(out, `${name}.json`), JSON.stringify(row));
}

/** Seconds since `start` (a Date.now()), for the report only; never asserted. */
export const secondsSince = (start: number): number => Math.round((Date.now() - start) / 100) / 10;
