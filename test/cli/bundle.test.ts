/** gen-ota bundle: a folder that a fresh board boots into the app from, on real MicroPython. */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { runCli } from "../../generator/cli.js";
import { targets } from "../../targets/index.js";
import { Device } from "../runtime/device.js";
import { CURRENT_FIRMWARE, FIRMWARES, runtimeOrSkip } from "../runtime/firmware.js";
import { TEST_PUBLIC_KEY } from "../runtime/assets.js";
import { serverEndpoints, startGithubServer, type GithubServer } from "../runtime/server.js";
import { appRelease, BOOT_SNIPPET, simModules } from "../runtime/updater.js";
import { testHeap } from "../runtime/over-budget.js";

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "gen-ota-bundle-"));
  cpSync("examples/esp8266-sensor", join(work, "sensor"), { recursive: true });
  // a mirror that refuses at once: the first boot's check fails fast, offline
  const config = join(work, "sensor/ota.config.ts");
  writeFileSync(config, readFileSync(config, "utf8").replace('"http://ota.example.net/sensor"', '"http://127.0.0.1:9/sensor"'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function bundle(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(["bundle", ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: work, env: {} });
  return { code, stdout, stderr };
}

/** Every file under `dir`, as device path → content. */
function filesOf(dir: string, under = dir): Record<string, Buffer> {
  return Object.fromEntries(
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? Object.entries(filesOf(path, under)) : [[`/${relative(under, path)}`, readFileSync(path)]];
    }),
  );
}

test("writes the updater, the app with its .version and a secrets template, and prints the mpremote commands", async () => {
  const result = await bundle(["--config", "sensor/ota.config.ts", "--version", "1.2.0"]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const dir = join(work, "sensor/bundle/esp8266");
  expect(readdirSync(dir).sort()).toEqual(["main.py", "ota.py", "ota_clear.py", "ota_copy.py", "ota_ed25519.py", "ota_fetch.py", "ota_fs.py", "ota_http.py", "ota_main.py", "ota_manifest.py", "ota_outline.py", "ota_prepare.py", "ota_response.py", "ota_sha512.py", "ota_stage.py", "ota_switch.py", "ota_trial.py", "ota_verify.py", "project", "secrets.json.template"]);
  expect(readFileSync(join(dir, "project/.version"), "utf8")).toBe("1.2.0");
  expect(JSON.parse(readFileSync(join(dir, "secrets.json.template"), "utf8"))).toEqual({ WIFI_SSID: "", WIFI_PASS: "" });
  expect(result.stdout).toContain("  mpremote cp -r project :");
  expect(result.stdout).toContain("  mpremote cp secrets.json :/secrets.json");
  expect(existsSync(join(dir, "secrets.json"))).toBe(false); // never a secret's value
});

test("bad input: no --version, a board the config does not name, an app folder that is not there", async () => {
  expect(await bundle(["--config", "sensor/ota.config.ts"])).toMatchObject({ code: 2, stderr: expect.stringContaining("GEN_OTA_0905 --version X is required") });
  expect(await bundle(["--config", "sensor/ota.config.ts", "--version", "1.0.0", "--board", "esp32"])).toMatchObject({ code: 2, stderr: expect.stringContaining("GEN_OTA_0905 --board esp32: ") });
  expect(await bundle(["--config", "sensor/ota.config.ts", "--version", "1.0.0", "--app", "nowhere"])).toMatchObject({ code: 2, stderr: expect.stringContaining("nowhere does not exist") });
});

const board = targets.get("esp8266")!;
/** The oldest firmware the sensor example's boards run (its minFirmware, 1.19): on 1.13 its updater does not fit the heap. */
const FLEET_OLDEST = FIRMWARES.find((firmware) => firmware.version.startsWith("1.19."))!;
// .py on 1.19.1 and 1.25; --mpy at the ABI each firmware loads (6 on both)
const cases = [FLEET_OLDEST, CURRENT_FIRMWARE].flatMap((firmware) =>
  [false, true].filter((mpy) => !mpy || board.mpy!.abis.includes(firmware.abi)).map((mpy) => [firmware.version, mpy ? `--mpy-abi ${firmware.abi}` : ".py", firmware, mpy] as const),
);
describe("a fresh esp8266", () => {
  test.each(cases)("on MicroPython %s boots the %s bundle into the app", async (_version, _form, firmware, mpy) => {
    const micropython = runtimeOrSkip(firmware);
    if (micropython === undefined) return; // skipped: the reason is printed once
    expect((await bundle(["--config", "sensor/ota.config.ts", "--version", "1.2.0", ...(mpy ? ["--mpy", "--mpy-abi", String(firmware.abi)] : [])])).code).toBe(0);
    const files = filesOf(join(work, "sensor/bundle/esp8266"));
    const device = await Device.create({ fs: "fat", blockSize: board.flash.blockSize, heapBytes: board.heap.budgetBytes, micropython });
    try {
      const secrets = Buffer.from(JSON.stringify({ WIFI_SSID: "net", WIFI_PASS: "pass" }));
      await device.writeFiles({ ...files, ...(await simModules(firmware.abi)), "/secrets.json": secrets });
      const first = await device.run(BOOT_SNIPPET);
      expect(first.output).toContain("temperature: 21.5 C");
      expect(first.exception).toBeUndefined();
      const check = await device.run("import ota\nprint('INSTALLED', ota.installed())");
      expect(check.output).toContain("INSTALLED 1.2.0");
    } finally {
      await device.dispose();
    }
  });
});

test("in a git repo the app is the config's appPath from the repository's root, as release and devices read it", async () => {
  execFileSync("git", ["init", "-q"], { cwd: work });
  const unmapped = await bundle(["--config", "sensor/ota.config.ts", "--version", "1.2.0"]);
  expect(unmapped.code).toBe(2);
  expect(unmapped.stderr).toContain("GEN_OTA_0702 project does not exist"); // appDir's name at the root, not beside the config
  const config = join(work, "sensor/ota.config.ts");
  writeFileSync(config, readFileSync(config, "utf8").replace('appDir: "/project",', 'appDir: "/project",\n  appPath: "sensor/project",'));
  const mapped = await bundle(["--config", "sensor/ota.config.ts", "--version", "1.2.0"]);
  expect(mapped.stderr).toBe("");
  expect(mapped.code).toBe(0);
  expect(readFileSync(join(work, "sensor/bundle/esp8266/project/sensor.py"))).toEqual(readFileSync(join(work, "sensor/project/sensor.py")));
});

/**
 * update: "manual" on a fresh board, the two ways README gives: the bundle (the app starts at once,
 * and the app's own ota.update() moves it on), or only the updater, then ota.update() from the
 * REPL and a reset. .mpy on the oldest firmware the example's boards run (minFirmware 1.19), at the
 * board's heap budget unless test/runtime/over-budget.ts says otherwise.
 */
describe('update: "manual" on a fresh esp8266', () => {
  const micropython = runtimeOrSkip(FLEET_OLDEST);
  let server: GithubServer;
  beforeEach(async () => {
    server = await startGithubServer({ releases: [], repo: "example-org/esp8266-sensor", dir: "project" });
    // the sensor example, manual, reading releases from the test server, trusting the test key
    const config = join(work, "sensor/ota.config.ts");
    const endpoints = serverEndpoints(server);
    writeFileSync(
      config,
      readFileSync(config, "utf8")
        .replace('trialBoots: 3,', 'trialBoots: 3,\n  update: "manual",')
        .replace(/latest: `[^`]*`/, `latest: "${endpoints.latest}"`)
        .replace(/release: `[^`]*`/, `release: "${endpoints.release}"`)
        .replace(/file: `[^`]*`/, `file: "${endpoints.file}"`)
        .replace(/publicKeys: \[[^\]]*\]/, `publicKeys: ["${TEST_PUBLIC_KEY}"]`),
    );
  });
  afterEach(async () => {
    await server.close();
  });

  async function freshBoard(files: Record<string, Buffer>): Promise<Device> {
    const heapBytes = testHeap({ board: board.name, variant: "mpy", firmware: FLEET_OLDEST }) ?? board.heap.budgetBytes;
    const device = await Device.create({ fs: "fat", blockSize: board.flash.blockSize, heapBytes, micropython: micropython! });
    await device.writeFiles({ ...files, ...(await simModules(FLEET_OLDEST.abi)), "/secrets.json": Buffer.from(JSON.stringify({ WIFI_SSID: "net", WIFI_PASS: "pass" })) });
    return device;
  }

  (micropython ? test : test.skip)("the bundle starts the app at once; the app's ota.update() then installs the next release", async () => {
    expect((await bundle(["--config", "sensor/ota.config.ts", "--version", "1.2.0", "--mpy-abi", String(FLEET_OLDEST.abi)])).code).toBe(0);
    const device = await freshBoard(filesOf(join(work, "sensor/bundle/esp8266")));
    try {
      const first = await device.run(BOOT_SNIPPET);
      expect(first.output).toContain("temperature: 21.5 C");
      expect(server.requests).toEqual([]); // manual: the boot asks nothing
      server.publish(appRelease("1.3.0"));
      const update = await device.run("import ota\nprint('STAGED', ota.update())");
      expect(update.output).toContain("STAGED 1.3.0");
      expect((await device.run(BOOT_SNIPPET)).output).toContain("APP RUNNING widget 1.3.0");
    } finally {
      await device.dispose();
    }
  });

  (micropython ? test : test.skip)("only the updater: the boot says what to do; ota.update() from the REPL and a reset install the first version", async () => {
    const generated = await runCli(["--config", "sensor/ota.config.ts", "--mpy-abi", String(FLEET_OLDEST.abi), "--out", "device"], { stdout: () => undefined, stderr: () => undefined, cwd: work, env: {} });
    expect(generated).toBe(0);
    const device = await freshBoard(filesOf(join(work, "device/esp8266/mpy")));
    try {
      server.publish(appRelease("1.3.0"));
      const first = await device.run(BOOT_SNIPPET);
      expect(first.output).toContain("ota: no app in /project yet: copy one (gen-ota bundle), or ota.update() then reset");
      expect(server.requests).toEqual([]);
      const update = await device.run("import ota\nprint('STAGED', ota.update())"); // at the REPL, after main.py
      expect(update.output).toContain("STAGED 1.3.0");
      expect((await device.run(BOOT_SNIPPET)).output).toContain("APP RUNNING widget 1.3.0"); // the reset
    } finally {
      await device.dispose();
    }
  });
});
