/** Both runtimes give the same step log for the same inputs: WebAssembly with the socket shim and the flash model, and the unix port with a loopback server and a real littlefs/FAT image. */
import { simulate, type SimulationResult } from "../../generator/simulate/command.js";
import { parseSimulateArgs } from "../../generator/simulate/args.js";
import { targets } from "../../targets/index.js";
import { oldestFirmware, runtimeOrSkip } from "../runtime/firmware.js";
import { findMicropython } from "../runtime/micropython.js";
import { exampleRepo, greenhouseRepo, removeRepo } from "./fixture.js";

let repo: string;
beforeAll(() => {
  repo = greenhouseRepo();
});
afterAll(() => removeRepo(repo));

async function run(argv: string[], cwd = repo): Promise<SimulationResult> {
  const parsed = parseSimulateArgs(argv);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  const result = await simulate(parsed.value, { stdout: () => undefined, stderr: () => undefined, cwd, env: {} });
  if ("diagnostics" in result) throw new Error(JSON.stringify(result.diagnostics));
  return result;
}

test.each(["esp32", "rp2-pico-w"])("%s: embedded and unix step logs are identical, and both pass", async (board) => {
  const common = ["--board", board, "--from", "v1.2.0", "--to", "v1.3.0"];
  const embedded = await run(common);
  const unix = await run([...common, "--runtime", "unix", "--micropython", findMicropython()]);
  expect(unix.steps).toEqual(embedded.steps);
  expect(embedded.steps).toEqual(expect.arrayContaining(["  switch    to 1.3.0", "  confirm   1.3.0 confirmed by the app"]));
  expect([embedded.ok, unix.ok]).toEqual([true, true]);
  // the unix port checked the releases' signatures (its updater refuses an unsigned one), the embedded one did not
  expect(unix.report).toContain("signatures: checked, the releases signed with a key made for this run (the device trusts it in place of the config's)");
  expect(embedded.report).toContain("signatures: not checked (the embedded runtime; --runtime unix checks them)");
});

test("a power cut on the unix port's real littlefs ends on the new version as in the model", async () => {
  const unix = await run(["--board", "esp32", "--from", "v1.2.0", "--to", "v1.3.0", "--runtime", "unix", "--micropython", findMicropython(), "--power-cut", "25"]);
  expect(unix.cuts).toHaveLength(1);
  expect(unix.cuts[0]).toMatchObject({ final: "new", finalVersion: "1.3.0", confirmed: true });
  expect(unix.cuts[0]?.afterReboot).not.toBe("broken");
  expect(unix.ok).toBe(true);
});

describe("the unix runtime on each board's oldest firmware (the same board program speaks to every version)", () => {
  const columns = ["esp8266", "esp32", "rp2-pico-w"].map((board) => [board, oldestFirmware(targets.get(board)!)] as const);
  test.each(columns.map(([board, firmware]) => [board, firmware.version, firmware] as const))("%s on MicroPython %s: the update passes, switch and confirm in its steps", async (board, _version, firmware) => {
    const micropython = runtimeOrSkip(firmware);
    if (micropython === undefined) return; // skipped: the reason is printed once
    const common = ["--board", board, "--from", "v1.2.0", "--to", "v1.3.0"];
    const sensor = board === "esp8266" ? exampleRepo("esp8266-sensor", "project/sensor.py") : undefined;
    const unix = await run([...common, "--runtime", "unix", "--micropython", micropython], sensor ?? repo).finally(() => sensor && removeRepo(sensor));
    if (board === "esp8266") {
      // the board program runs the updater on 1.13, and simulate tells the truth about the heap:
      // .py does not fit ESP8266's 38 KB there (test/runtime/over-budget.ts); update() logs the
      // MemoryError in one line and the app still starts
      expect(unix.steps).toContain("  check     the release asks for 1.3.0");
      expect(unix.steps.some((step) => /^ {2}ota +update failed: no heap \(memory allocation failed/.test(step))).toBe(true);
      expect(unix.steps.some((step) => /^ {2}app +temperature/.test(step))).toBe(true);
      expect(unix.ok).toBe(false);
      return;
    }
    expect(unix.steps).toEqual(expect.arrayContaining(["  switch    to 1.3.0", "  confirm   1.3.0 confirmed by the app"]));
    expect(unix.ok).toBe(true);
  });
});
