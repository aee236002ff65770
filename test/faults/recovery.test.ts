/**
 * Boots that find a state no clean run leaves: a journal slot cut short, both slots unreadable, a
 * journal that makes boot() raise, a /prev that is damaged or holds entries no one wrote. The app
 * must start every time and the device must settle where it should (esp8266 output on FAT with
 * 512-byte sectors).
 */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { targets } from "../../targets/index.js";
import type { Device } from "../runtime/device.js";
import { startGithubServer, type GithubServer } from "../runtime/server.js";
import { appRelease, flashDevice, testConfig } from "../runtime/updater.js";
import { JOURNAL_SLOTS } from "../../generator/simulate/session.js";
import { FatImage, rawEntry } from "./fat-image.js";
import { appState, bootAndInspect, inspect, installInspector, readJournal } from "./common.js";
import { settleAfterCut, TRIAL_BOOTS, V1, V11, V12_BROKEN } from "./power.js";

const slot = (journal: Record<string, unknown>): string => {
  const body = JSON.stringify(journal);
  return createHash("sha256").update(body).digest("hex") + body;
};

let server: GithubServer;
let device: Device;

beforeEach(async () => {
  server = await startGithubServer({ releases: [V1] });
  device = await flashDevice(testConfig(targets.get("esp8266")!, server, { trialBoots: TRIAL_BOOTS }), "esp8266", "mpy");
  await installInspector(device);
  const settled = await settleAfterCut(device, "install 1.0.0", { old: { version: null, files: {} }, new: appState(V1) });
  expect(settled.problems).toEqual([]);
});

afterEach(async () => {
  await device.dispose();
  await server.close();
});

/** The slot holding the newest valid journal, from the image. */
async function newestSlot(): Promise<string> {
  const inspection = await inspect(device);
  const journal = readJournal(inspection);
  if (journal === undefined) throw new Error("no journal");
  return JOURNAL_SLOTS[(journal["seq"] as number) % 2 === 0 ? 0 : 1];
}

test("a newest journal slot cut short: the other slot is read, and an unconfirmed version is still rolled back", async () => {
  server.publish(V12_BROKEN);
  const staged = await bootAndInspect(device); // stages 1.2.0
  expect(readJournal(staged.inspection!)?.["state"]).toBe("staged");
  const switched = await bootAndInspect(device); // switches: trial boot 1
  expect(readJournal(switched.inspection!)?.["state"]).toBe("trial");
  const path = await newestSlot();
  const text = (await device.cat(path)).toString("utf8");
  await device.writeFiles({ [path]: text.slice(0, Math.floor(text.length / 2)) });
  const outcome = await settleAfterCut(device, "newest slot halved", { old: appState(V12_BROKEN), new: appState(V1) });
  expect(outcome.problems).toEqual([]);
  expect(outcome.settled).toBe("new"); // back on 1.0.0
});

test("both journal slots unreadable: the directories say what runs, the app starts, and the next update goes through", async () => {
  await device.writeFiles({ [JOURNAL_SLOTS[0]]: Buffer.from([0xff, 0xfe, 0x00, 0x41]), [JOURNAL_SLOTS[1]]: "not a journal" });
  const boot = await bootAndInspect(device);
  expect(boot.result.output).toContain("APP RUNNING widget 1.0.0");
  expect(boot.result.exception).toBeUndefined();
  server.publish(V11);
  const outcome = await settleAfterCut(device, "slots garbage, then 1.1.0", { old: appState(V1), new: appState(V11) });
  expect(outcome.problems).toEqual([]);
  expect(outcome.settled).toBe("new");
});

test("a journal that makes boot() raise: main.py logs it and starts the app", async () => {
  // state swap without its keys: _finish_swap raises KeyError, not an OSError
  await device.writeFiles({ [JOURNAL_SLOTS[0]]: slot({ seq: 1000, state: "swap", version: "1.0.0", prev: null, failed: [] }) });
  const boot = await bootAndInspect(device);
  expect(boot.result.output.some((line) => line.startsWith("ota: boot stopped: KeyError"))).toBe(true);
  expect(boot.result.output).toContain("APP RUNNING widget 1.0.0");
  expect(boot.result.exception).toBeUndefined();
});

/** Installs 1.1.0 over 1.0.0, so that /prev holds 1.0.0 and 1.1.0 runs confirmed. */
async function onV11WithPrev(): Promise<void> {
  server.publish(V11);
  const outcome = await settleAfterCut(device, "update to 1.1.0", { old: appState(V1), new: appState(V11) });
  expect(outcome.settled).toBe("new");
  expect((await device.cat("/prev/.version")).toString()).toBe("1.0.0");
}

test("a /prev whose file no longer matches its manifest: revert refuses before appDir changes, and the app runs", async () => {
  await onV11WithPrev();
  await device.writeFiles({ "/prev/lib/data.txt": "flash wore out here\n" });
  const revert = await device.run("import ota\nprint('REVERTED', ota.revert())");
  expect(revert.output).toContain("ota: /prev is damaged (lib/data.txt); keeping 1.1.0");
  expect(revert.exception).toBeUndefined();
  const outcome = await settleAfterCut(device, "revert refused", { old: appState(V11), new: appState(V11) });
  expect(outcome.problems).toEqual([]); // appDir still exactly 1.1.0, journal idle, the app runs
});

test("entries in /prev that its manifest does not name are neither copied into appDir by a revert nor removed after it", async () => {
  // what a power cut while FAT grows a directory can leave (docs/protocol.md): entries no one wrote
  await onV11WithPrev();
  await device.writeFiles({ "/prev/lib/stale.py": "raise SystemExit('stale data')\n", "/prev/junk/x.bin": "junk" });
  const revert = await device.run("import ota\nprint('REVERTED', ota.revert())");
  expect(revert.output).toContain("REVERTED True");
  expect(revert.output).toContain("ota: /prev holds entries no manifest names; left as it is");
  const boot = await bootAndInspect(device);
  expect(boot.result.output).toContain("APP RUNNING widget 1.0.0");
  const files = await device.ls();
  expect(Object.keys(files).filter((path) => path.startsWith("/project/") && (path.includes("stale") || path.includes("junk")))).toEqual([]);
  // everything /prev's manifest named is gone; what it did not name stays, and /prev with it
  expect(Object.keys(files).filter((path) => path.startsWith("/prev/")).sort()).toEqual(["/prev/junk/x.bin", "/prev/lib/stale.py"]);
});

/** A version after V11 that confirms itself: proves the device still updates, and allocates clusters. */
const V13 = appRelease("1.3.0", { extra: { "lib/data.txt": "more data\n".repeat(400), "lib/new.py": "NEW = 1\n".repeat(200) } });

/** Files of the updater the junk entries below point into: never rewritten by an update. */
const UPDATER_FILES = ["/main.py", "/ota.mpy"];

/**
 * Entries a power cut can leave in a growing FAT directory: stale data read as entries, here with
 * plain names whose first clusters are those of the updater's own files. Removing one frees them.
 */
async function addJunk(directory: string, names: string[]): Promise<Record<string, Buffer>> {
  const image = new FatImage(await readFile(device.image));
  const before: Record<string, Buffer> = {};
  names.forEach((name, index) => {
    const target = image.find(UPDATER_FILES[index % UPDATER_FILES.length]!);
    image.addRawEntry(directory, rawEntry(name, 0x20, target.cluster, target.size));
  });
  await writeFile(device.image, image.bytes);
  for (const path of UPDATER_FILES) before[path] = await device.cat(path);
  return before;
}

/** The updater's files keep their clusters and their bytes. */
async function expectUpdaterIntact(before: Record<string, Buffer>): Promise<void> {
  const image = new FatImage(await readFile(device.image));
  expect(UPDATER_FILES.flatMap((path) => image.chainProblems(path))).toEqual([]);
  for (const path of UPDATER_FILES) expect((await device.cat(path)).equals(before[path]!)).toBe(true);
}

test("junk entries in a staged /next that name live clusters: the switch clears /next by its manifest, the junk stays, nothing live is freed", async () => {
  server.publish(V11);
  const staged = await bootAndInspect(device);
  expect(readJournal(staged.inspection!)?.["state"]).toBe("staged");
  const before = await addJunk("/next/lib", ["JUNK0001PY ", "JUNK0002TXT"]);
  const switched = await bootAndInspect(device);
  expect(switched.result.output).toContain("APP RUNNING widget 1.1.0");
  expect(switched.result.output).toContain("ota: /next holds entries no manifest names; left as it is");
  expect(Object.keys(switched.inspection!.files).filter((path) => path.startsWith("/next/")).sort()).toEqual(["/next/lib/JUNK0001.PY", "/next/lib/JUNK0002.TXT"]);
  await expectUpdaterIntact(before);
  // the junk stays where it is, and the next update stages among it and ends on the new version
  server.publish(V13);
  const outcome = await settleAfterCut(device, "1.3.0 over junk in /next", { old: appState(V11), new: appState(V13) });
  expect(outcome.problems).toEqual([]);
  expect(outcome.settled).toBe("new");
  await expectUpdaterIntact(before);
  const quiet = await bootAndInspect(device); // a /next with neither .manifest nor .version is not a leftover
  expect(quiet.result.output.filter((line) => line.startsWith("ota: "))).toEqual([]);
});

test("junk entries in /prev that name live clusters: a revert clears /prev by its manifest and frees nothing live", async () => {
  await onV11WithPrev();
  const before = await addJunk("/prev/lib", ["JUNK0001PY ", "JUNK0002TXT"]);
  const revert = await device.run("import ota\nprint('REVERTED', ota.revert())");
  expect(revert.output).toContain("REVERTED True");
  expect(revert.output).toContain("ota: /prev holds entries no manifest names; left as it is");
  const boot = await bootAndInspect(device);
  expect(boot.result.output).toContain("APP RUNNING widget 1.0.0");
  await expectUpdaterIntact(before);
  server.publish(V13);
  const outcome = await settleAfterCut(device, "1.3.0 after the revert", { old: appState(V1), new: appState(V13) });
  expect(outcome.settled).toBe("new");
  expect(outcome.problems).toEqual([]);
  await expectUpdaterIntact(before);
});

test("an entry of erased flash (0xFF bytes) in /next: the switch never lists /next, and the device keeps updating", async () => {
  server.publish(V11);
  await bootAndInspect(device); // stages 1.1.0
  const image = new FatImage(await readFile(device.image));
  image.addRawEntry("/next/lib", Buffer.alloc(32, 0xff));
  await writeFile(device.image, image.bytes);
  const switched = await bootAndInspect(device);
  expect(switched.result.exception).toBeUndefined();
  expect(switched.result.output).toContain("APP RUNNING widget 1.1.0");
  expect(switched.result.output.filter((line) => line.startsWith("ota: boot stopped"))).toEqual([]);
  expect(Object.keys(switched.inspection!.unlistable)).toEqual(["/next/lib"]); // what listing it would have met
  server.publish(V13);
  const outcome = await settleAfterCut(device, "1.3.0 over erased flash in /next", { old: appState(V11), new: appState(V13) });
  expect(outcome.settled).toBe("new");
  expect(outcome.problems).toEqual([]);
});
