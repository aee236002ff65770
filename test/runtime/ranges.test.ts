/**
 * Version ranges after a newer major is out (docs/protocol.md, "Version index"): a device on
 * "^1.2" whose latest release is 2.0.0 reads the latest release's ota-versions and moves to the
 * newest 1.x, never to 2.0.0; a missing, malformed or oversized index is one log line and no
 * update. ESP8266 (the tightest heap) at its budget, .py and .mpy, on 1.25 and on 1.13.
 */
import { targets } from "../../targets/index.js";
import type { ResolvedConfig } from "../../generator/config/resolved.js";
import { describe as describeRun, type Device, type RunResult } from "./device.js";
import { firmwareColumns, firmwareImage, runtimeOrSkip } from "./firmware.js";
import { testHeap } from "./over-budget.js";
import { startGithubServer, type GithubServer, type RequestInfo } from "./server.js";
import { appRelease, BOOT_SNIPPET, flashDevice, testConfig, type Variant } from "./updater.js";

const BOARD = "esp8266";
const board = targets.get(BOARD)!;
const RANGE: ResolvedConfig["version"] = { kind: "range", range: "^1.2", min: "1.2.0", max: "2.0.0" };
const FIRMWARES = firmwareColumns(board);
const VARIANTS: Variant[] = ["py", "mpy"];

async function run(device: Device, snippet: string): Promise<RunResult> {
  const result = await device.run(snippet);
  if (result.exception || result.timedOut || (result.code !== 0 && result.exitValue !== 0)) throw new Error(`run failed:\n${describeRun(result)}`);
  return result;
}

/** The device's own log lines ("ota: ..."). */
const logLines = (result: RunResult): string[] => result.output.filter((line) => line.startsWith("ota: "));
const isIndex = (request: RequestInfo): boolean => request.path.includes("ota-versions");

describe.each(FIRMWARES.map((firmware) => [firmware.version, firmware] as const))("esp8266 on MicroPython %s", (_version, firmware) => {
  const micropython = runtimeOrSkip(firmware);
  (micropython ? describe.each(VARIANTS) : describe.skip.each(VARIANTS))("%s output", (variant) => {
    const image = firmwareImage(board, firmware, micropython);
    const flash = (overrides: Partial<ResolvedConfig> = {}): Promise<Device> =>
      flashDevice(testConfig(board, server, { version: RANGE, ...overrides }), BOARD, variant, testHeap({ board: BOARD, variant, firmware }), image);
    let server: GithubServer;
    beforeEach(async () => {
      server = await startGithubServer({ releases: [appRelease("1.2.0")] });
    });
    afterEach(async () => {
      await server.close();
    });

    test("^1.2 on 1.2.0: 2.0.0 is published, then 1.5.0: the device ends on 1.5.0, never on 2.0.0", async () => {
      const device = await flash();
      for (let i = 0; i < 3; i++) await run(device, BOOT_SNIPPET);
      expect((await run(device, BOOT_SNIPPET)).output).toContain("APP RUNNING widget 1.2.0");

      server.publish(appRelease("2.0.0"));
      server.resetLog();
      const outOfRange = await run(device, BOOT_SNIPPET);
      expect(outOfRange.output).toContain("APP RUNNING widget 1.2.0");
      expect(logLines(outOfRange)).toEqual([]); // 1.2.0 is the newest 1.x: nothing to say
      const asked = server.requests.filter((request) => !request.path.startsWith("/dl/")).map((request) => request.path);
      expect(asked).toEqual([`/${server.repo}/releases/latest/download/ota-version`, `/${server.repo}/releases/latest/download/ota-versions`]);

      server.publish(appRelease("1.5.0"));
      server.resetLog();
      const staging = await run(device, BOOT_SNIPPET);
      expect(staging.output).toContain("SIM RESET");
      const switched = await run(device, BOOT_SNIPPET);
      expect(switched.output).toContain("APP RUNNING widget 1.5.0");
      const manifests = server.requests.map((request) => request.path.split("?")[0]!).filter((path) => path.endsWith("ota-manifest.json"));
      expect(manifests).toEqual([`/${server.repo}/releases/download/v1.5.0/ota-manifest.json`, "/dl/v1.5.0/ota-manifest.json"]);
      // of 2.0.0, only what the latest release tells: its version and its index
      const of2 = server.requests.map((request) => request.path.split("?")[0]!).filter((path) => path.includes("v2.0.0"));
      expect(new Set(of2)).toEqual(new Set(["/dl/v2.0.0/ota-version", "/dl/v2.0.0/ota-versions"]));
      await device.dispose();
    });

    test("a missing, malformed or oversized index, or one with nothing in range, is one log line and no version", async () => {
      server.publish(appRelease("2.0.0"));
      const device = await flash({ update: "manual" });
      const check = async (expected = "None"): Promise<string[]> => {
        const result = await run(device, "import ota\nprint('CHECK', ota.check())");
        expect(result.output).toContain(`CHECK ${expected}`);
        return logLines(result);
      };
      server.setFault({ kind: "status", code: 404, body: "Not Found", match: isIndex, once: true });
      expect(await check()).toEqual([`ota: check failed: HTTP 404 for ${server.url}/${server.repo}/releases/latest/download/ota-versions`]);
      server.setFault({ kind: "body", body: "<html>Sign in to the Wi-Fi</html>\n", match: (request) => isIndex(request) && request.path.startsWith("/dl/"), once: true });
      expect(await check()).toEqual(["ota: check failed: ota-versions: '<html>Sign in to the Wi-Fi</html>' is not a version"]);
      server.setFault({ kind: "body", body: Buffer.from([0xff, 0xfe, 0x0a]), match: (request) => isIndex(request) && request.path.startsWith("/dl/"), once: true });
      expect((await check()).map((line) => line.replace(/:.*$/, ""))).toEqual(["ota"]); // a UnicodeError, in one line
      server.setFault({ kind: "oversize", extraBytes: 600, match: (request) => isIndex(request) && request.path.startsWith("/dl/"), once: true });
      const oversized = await check();
      expect(oversized).toHaveLength(1);
      expect(oversized[0]).toMatch(/^ota: check failed: .*ota-versions.* announces \d+ bytes, over the 512 allowed$/);
      server.setFault({ kind: "body", body: "2.0.0\n1.1.0\n", match: (request) => isIndex(request) && request.path.startsWith("/dl/"), once: true });
      expect(await check()).toEqual(["ota: 2.0.0 is outside ^1.2, and so is every version of ota-versions"]);
      expect(await check("1.2.0")).toEqual([]); // the real index: a fresh board gets the newest 1.x
      await device.dispose();
    });
  });
});
