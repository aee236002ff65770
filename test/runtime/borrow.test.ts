/**
 * ota.borrow() and ota._drop_shared(): a module the updater loads for one call is dropped from
 * sys.modules and its globals emptied once the call returns, so that a stale word on the C stack
 * (which MicroPython's GC takes for a pointer) can hold one of its objects but not the module and
 * everything it imports. A module that running code imported itself is left whole.
 */
import { targets } from "../../targets/index.js";
import type { Device } from "./device.js";
import { startGithubServer, type GithubServer } from "./server.js";
import { appRelease, flashDevice, testConfig } from "./updater.js";

/** Stands in for an updater module: its function hands back the module's globals. */
const PROBE = ["def own():", "    return globals()", "", "", "_globals = globals()", ""].join("\n");

let server: GithubServer;
let device: Device;
beforeAll(async () => {
  server = await startGithubServer({ releases: [appRelease("1.0.0")] });
  const board = targets.get("esp8266")!;
  device = await flashDevice(testConfig(board, server, { update: "manual" }), "esp8266", "mpy");
  await device.writeFiles({ "/ota_probe.py": PROBE });
});
afterAll(async () => {
  await device.dispose();
  await server.close();
});

async function printed(snippet: string): Promise<string[]> {
  const result = await device.run(snippet);
  if (result.exception || result.code !== 0) throw new Error(`the snippet failed: ${result.stdout}${result.stderr}`);
  return result.output;
}

test("a borrowed module is out of sys.modules and its globals are empty once its call returns", async () => {
  const output = await printed([
    "import sys, ota",
    "names = ota.borrow('ota_probe', 'own')",
    "print('LOADED', 'ota_probe' in sys.modules, 'NAMES', len(names))",
  ].join("\n"));
  expect(output).toContain("LOADED False NAMES 0");
});

test("a module that running code imported keeps its globals when borrowed", async () => {
  const output = await printed([
    "import sys, ota",
    "import ota_probe",
    "names = ota.borrow('ota_probe', 'own')",
    "print('NAMES', len(names), 'OWN', ota_probe.own() is names)",
  ].join("\n"));
  expect(output).toContainEqual(expect.stringMatching(/^NAMES [1-9]\d* OWN True$/));
});

test("the HTTP client that a check loads is emptied with it", async () => {
  const output = await printed([
    "import ota",
    "import ota_http",
    "names = ota_http._globals",
    "print('CHECK', ota.check())",
    "print('HTTP NAMES', len(names))",
  ].join("\n"));
  expect(output).toContain("CHECK 1.0.0");
  expect(output).toContain("HTTP NAMES 0");
});

test("a borrowed call that raises still leaves its module emptied", async () => {
  // the exception carries the module's globals out
  await device.writeFiles({ "/ota_raiser.py": ["def fail():", "    raise OSError(globals())", "", "", "_globals = globals()", ""].join("\n") });
  const output = await printed([
    "import ota",
    "try:",
    "    ota.borrow('ota_raiser', 'fail')",
    "except OSError as error:",
    "    print('RAISED NAMES', len(error.args[0]))",
  ].join("\n"));
  expect(output).toContain("RAISED NAMES 0");
});
