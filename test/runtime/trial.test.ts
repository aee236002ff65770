/**
 * Unattended rollback: on a trial boot, main.py resets the board when the app raises, and its
 * guard resets it when the app has not confirmed by the deadline, so a version that never works
 * is rolled back with nobody at the board. The unix port has no timers: the test stands in for
 * the firmware and runs the armed timer's callback (sim_timer.fire()).
 */
import { targets } from "../../targets/index.js";
import type { Device, RunResult } from "./device.js";
import { startGithubServer, type GithubServer } from "./server.js";
import { testHeap } from "./over-budget.js";
import { appRelease, BOOT_SNIPPET, flashDevice, testConfig } from "./updater.js";

let server: GithubServer;
beforeEach(async () => {
  server = await startGithubServer({ releases: [appRelease("1.0.0")] });
});
afterEach(async () => {
  await server.close();
});

/** An app that starts, never confirms, and returns (as one running from timers or IRQs would). */
const silent = appRelease("1.1.0", { extra: { "main.py": 'print("APP RUNNING widget 1.1.0, not confirming")\n' } });
const raising = appRelease("1.2.0", { confirms: false });

/**
 * A boot, then `after` (as the firmware would run it once main.py returned). Trial boots get the
 * recording timers of sim_timer; the others not, as their names would cost an update's heap.
 */
async function boot(device: Device, after = "", timers = true): Promise<RunResult> {
  const result = await device.run((timers ? BOOT_SNIPPET.replace("import main\n", "import sim_timer\nimport main\n") : BOOT_SNIPPET) + after);
  if (result.exception) throw new Error(`boot raised: ${result.stdout}${result.stderr}`);
  return result;
}

/** Boots until 1.0.0 runs confirmed, then publishes `next` and boots once to stage it. */
async function stagedDevice(boardName: string, next: typeof silent, overrides = {}): Promise<Device> {
  const board = targets.get(boardName)!;
  const device = await flashDevice(testConfig(board, server, { trialBoots: 2, trialSeconds: 1, ...overrides }), boardName, "py", testHeap({ board: boardName, variant: "py" }));
  for (let i = 0; i < 3; i++) await boot(device, "", false);
  server.publish(next);
  expect((await boot(device, "", false)).output).toContain("SIM RESET"); // staged, rebooting into it
  return device;
}

test.each(["esp8266", "esp32"])("%s: an app that raises on a trial boot resets the board at once, and trialBoots later it is rolled back", async (boardName) => {
  const device = await stagedDevice(boardName, raising);
  try {
    for (const trial of [1, 2]) {
      const result = await boot(device);
      expect(result.output).toContain(`ota: 1.2.0 on trial, boot ${trial} of 2`);
      expect(result.output).toContain("ota: 1.2.0 failed on trial; resetting");
      expect(result.output.at(-1)).toBe("SIM RESET");
    }
    const back = await boot(device);
    expect(back.output).toContain("ota: 1.2.0 not confirmed after 2 boots; going back to 1.0.0");
    expect(back.output).toContain("APP RUNNING widget 1.0.0");
  } finally {
    await device.dispose();
  }
});

test("esp32: an app that never confirms is reset by the guard once trialSeconds passed, with machine.WDT armed; then rolled back", async () => {
  const device = await stagedDevice("esp32", silent);
  try {
    const early = await boot(device, "import sim_timer\nsim_timer.fire()\nprint('STILL UP')\n");
    expect(early.output).toEqual(expect.arrayContaining(["SIM WDT 8000 ms", "SIM TIMER 0 every 1000 ms", "STILL UP"])); // before the deadline
    for (let trial = 0; trial < 2; trial++) {
      const late = await boot(device, "import sim_timer, time\ntime.sleep_ms(1100)\nsim_timer.fire()\nprint('STILL UP')\n");
      if (late.output.includes("ota: 1.1.0 not confirmed after 2 boots; going back to 1.0.0")) break;
      expect(late.output).toContain("ota: 1.1.0 did not confirm within 1 s; resetting");
      expect(late.output).not.toContain("STILL UP");
    }
    const settled = await boot(device);
    expect(settled.output).toContain("APP RUNNING widget 1.0.0");
  } finally {
    await device.dispose();
  }
});

test("esp8266 (no configurable WDT): a confirmed version stops the guard's timer; trialSeconds: 0 arms nothing", async () => {
  const device = await stagedDevice("esp8266", appRelease("1.1.0"));
  try {
    const confirmed = await boot(device, "import sim_timer, time\ntime.sleep_ms(1100)\nsim_timer.fire()\nprint('STILL UP')\n");
    expect(confirmed.output).toEqual(expect.arrayContaining(["SIM TIMER -1 every 1000 ms", "ota: 1.1.0 confirmed", "SIM TIMER OFF", "STILL UP"]));
    expect(confirmed.output.join("\n")).not.toContain("SIM WDT");
  } finally {
    await device.dispose();
  }
  const off = await stagedDevice("esp8266", raising, { trialSeconds: 0 });
  try {
    const result = await boot(off);
    expect(result.output).toContain("ota: app stopped: RuntimeError('this version is broken',)");
    expect(result.output.join("\n")).not.toMatch(/SIM (TIMER|RESET)/);
  } finally {
    await off.dispose();
  }
});
