/**
 * Boots that find a state no clean run leaves: a journal slot cut short, both slots unreadable, a
 * journal that makes boot() raise. The app must start every time and the device must settle where
 * it should (esp8266 output on FAT with 512-byte sectors).
 */
import { createHash } from "node:crypto";
import { targets } from "../../targets/index.js";
import type { Device } from "../runtime/device.js";
import { startGithubServer, type GithubServer } from "../runtime/server.js";
import { flashDevice, testConfig } from "../runtime/updater.js";
import { JOURNAL_SLOTS } from "../../generator/simulate/session.js";
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
