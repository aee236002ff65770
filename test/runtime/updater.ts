/** Puts a generated updater (.py or .mpy) for a board on a simulated device pointed at a test server. */
import { createHash } from "node:crypto";
import { targets, type Target } from "../../targets/index.js";
import { defaultEndpoints } from "../../generator/config/endpoints.js";
import type { ResolvedConfig } from "../../generator/config/resolved.js";
import { generateBoard } from "../../generator/generate.js";
import { compileMpy } from "../../generator/mpy/compile.js";
import { TEST_PUBLIC_KEY } from "./assets.js";
import { Device, type FsKind } from "./device.js";
import { serverEndpoints, type GithubServer } from "./server.js";

export type Variant = "py" | "mpy";

/** Stand-ins for the board modules the unix port lacks: Wi-Fi that connects, and a reset that reboots. */
export const SIM_MODULES: Record<string, string> = {
  "/lib/sim_network.py": [
    "STA_IF = 0",
    "class WLAN:",
    "    def __init__(self, interface):",
    "        pass",
    "    def active(self, on=None):",
    "        return True",
    "    def isconnected(self):",
    "        return True",
    "    def connect(self, ssid, password):",
    "        pass",
    "",
  ].join("\n"),
  // Timer and WDT only as far as main.py's trial guard (ota_trial) needs them, in few names: the
  // firmware has these names built in, and each new one here costs the device code heap.
  "/lib/sim_machine.py": [
    "def reset():",
    '    print("SIM RESET")',
    "    raise SystemExit(0)",
    "",
    "",
    "class Timer:",
    "    PERIODIC = 1",
    "",
    "    def __init__(self, *a, **k):",
    "        pass",
    "",
    "    init = deinit = feed = __init__",
    "",
    "",
    "WDT = Timer",
    "",
  ].join("\n"),
  // Recording stand-ins for the trial tests: `import sim_timer` before main, then sim_timer.fire()
  "/lib/sim_timer.py": [
    "import sim_machine",
    "",
    "armed = []",
    "",
    "",
    "class Timer:",
    "    PERIODIC = 1",
    "",
    "    def __init__(self, id):",
    "        self.id = id",
    "",
    "    def init(self, period, mode, callback):",
    '        print("SIM TIMER %d every %d ms" % (self.id, period))',
    "        armed.append((self, callback))",
    "",
    "    def deinit(self):",
    '        print("SIM TIMER OFF")',
    "        armed[:] = [entry for entry in armed if entry[0] is not self]",
    "",
    "",
    "class WDT:",
    "    def __init__(self, timeout):",
    '        print("SIM WDT %d ms" % timeout)',
    "",
    "    def feed(self):",
    "        pass",
    "",
    "",
    "def fire():",
    "    # what the firmware does when a period ends: each armed timer's callback, once",
    "    for timer, callback in list(armed):",
    "        callback(timer)",
    "",
    "",
    "sim_machine.Timer = Timer",
    "sim_machine.WDT = WDT",
    "",
  ].join("\n"),
};

const compiledSim = new Map<5 | 6, Promise<Record<string, Buffer>>>();

/**
 * SIM_MODULES compiled to .mpy for `abi`: they stand in for modules a board's firmware has built
 * in, which take no heap for their code; compiled from source at every boot they took about 4 KB
 * of it (their bytecode, and the holes their compiling left) from the device code under test.
 */
export function simModules(abi: 5 | 6 = 6): Promise<Record<string, Buffer>> {
  let files = compiledSim.get(abi);
  if (files === undefined) {
    files = (async () => {
      const compiled: Record<string, Buffer> = {};
      for (const [path, source] of Object.entries(SIM_MODULES)) compiled[path.replace(/\.py$/, ".mpy")] = await mpyOf(source, path.slice(path.lastIndexOf("/") + 1), abi);
      return compiled;
    })();
    compiledSim.set(abi, files);
  }
  return files;
}

/** What a board does at power-on: the firmware's modules, then main.py. */
export const BOOT_SNIPPET =
  "import sys, sim_machine, sim_network\n" +
  "sys.modules['machine'] = sim_machine\n" +
  "sys.modules['network'] = sim_network\n" +
  "import main\n";

/** A resolved config for tests: defaults, endpoints at the server, and any overrides. */
export function testConfig(board: Target, server: GithubServer, overrides: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return {
    repo: server.repo,
    appDir: `/${server.dir}`,
    appPath: server.dir,
    boards: [board.name as ResolvedConfig["boards"][number]],
    version: { kind: "latest" },
    entry: "main",
    wifi: { ssid: { kind: "secret", name: "WIFI_SSID" }, password: { kind: "secret", name: "WIFI_PASS" } },
    token: null,
    endpoints: server ? serverEndpoints(server) : { ...defaultEndpoints },
    tagPrefix: "v",
    trialBoots: 3,
    trialSeconds: 120,
    watchdog: "hardware",
    update: "boot",
    timeoutSeconds: 5,
    secretsFile: "/secrets.json",
    signing: { publicKeys: [TEST_PUBLIC_KEY], allowUnsigned: false },
    configHash: createHash("sha256").update("test").digest("hex"),
    configPath: "ota.config.ts",
    ...overrides,
  };
}

/** `source` (module `name`, e.g. "ota.py") compiled to .mpy for `abi` (default 6: the 1.25 unix port's). */
export async function mpyOf(source: string, name: string, abi: 5 | 6 = 6): Promise<Buffer> {
  const compiled = await compileMpy(source, name, { abi });
  if (!compiled.ok) throw new Error(`${name}: ${JSON.stringify(compiled.diagnostics)}`);
  return Buffer.from(compiled.value);
}

/** The device files of `config` for `board`: sources, or modules compiled to .mpy (default ABI 6: the 1.25 unix port's). */
export async function updaterFiles(config: ResolvedConfig, board: Target, variant: Variant, abi: 5 | 6 = 6): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {};
  for (const file of generateBoard(config, board)) {
    if (variant === "py" || file.name === "main.py") {
      files[`/${file.name}`] = Buffer.from(String(file.contents));
      continue;
    }
    // The ABI the runtime loads (6 on 1.25 whatever the board); the golden test compiles each board's own.
    files[`/${file.name.replace(/\.py$/, ".mpy")}`] = await mpyOf(String(file.contents), file.name, abi);
  }
  return files;
}

/** The image of a flashed device; defaults as in `Device.create` (1 MiB, 512-byte FAT or 4096-byte littlefs blocks). */
export interface ImageOptions {
  /** Another filesystem than the board's default, e.g. FAT on an ESP32 `ffat` partition. */
  fs?: FsKind;
  blocks?: number;
  blockSize?: number;
  /** Another unix port than the 1.25 build, e.g. a board's oldest firmware (see firmware.ts). */
  micropython?: string;
  /** The .mpy ABI that unix port loads; default 6. */
  mpyAbi?: 5 | 6;
}

/** A fresh device of the board's filesystem and heap with the updater, the simulated modules and secrets. */
export async function flashDevice(
  config: ResolvedConfig,
  boardName: string,
  variant: Variant,
  heapBytes?: number,
  image: ImageOptions = {},
): Promise<Device> {
  const board = targets.get(boardName);
  if (!board) throw new Error(`no board ${boardName}`);
  const device = await Device.create({
    fs: board.flash.filesystem === "fat" ? "fat" : "lfs2",
    heapBytes: heapBytes ?? board.heap.budgetBytes,
    ...image,
  });
  await device.writeFiles({
    ...(await updaterFiles(config, board, variant, image.mpyAbi)),
    ...(await simModules(image.mpyAbi)),
    "/secrets.json": JSON.stringify({ WIFI_SSID: "test-net", WIFI_PASS: "test-pass" }),
  });
  return device;
}

/** A small app release: `main.py` prints its version and confirms itself unless told not to. */
export function appRelease(version: string, options: { confirms?: boolean; extra?: Record<string, string>; prerelease?: boolean } = {}) {
  const confirms = options.confirms ?? true;
  const files: Record<string, string> = {
    "main.py": [
      "import ota",
      "import lib.util as util",
      `print("APP RUNNING " + util.NAME + " ${version}")`,
      confirms ? "ota.confirm()" : 'raise RuntimeError("this version is broken")',
      "",
    ].join("\n"),
    "lib/util.py": 'NAME = "widget"\n' + "# padding so the file spans several chunks\n".repeat(40),
    "lib/__init__.py": "",
    "config.json": '{"interval": 60}\n',
    "README.txt": "widget app\n".repeat(100),
    ...options.extra,
  };
  return { version, files, prerelease: options.prerelease ?? false };
}
