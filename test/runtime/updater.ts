/** Puts a generated updater (.py or .mpy) for a board on a simulated device pointed at a test server. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { targets, type Target } from "../../targets/index.js";
import { defaultEndpoints } from "../../generator/config/endpoints.js";
import type { ResolvedConfig } from "../../generator/config/resolved.js";
import { generateBoard } from "../../generator/generate.js";
import { compileMpy } from "../../generator/mpy/compile.js";
import { TEST_PUBLIC_KEY } from "./assets.js";
import { Device, type FsKind } from "./device.js";
import { serverEndpoints, type GithubServer } from "./server.js";

export type Variant = "py" | "mpy";

/** The stand-ins' sources, which build-micropython.sh also freezes into the unix port it builds. */
export const SIM_DIR = fileURLToPath(new URL("./sim/", import.meta.url));

/**
 * Stand-ins for the board modules the unix port lacks, by their path on a device: Wi-Fi that
 * connects, a reset that reboots, and the trial tests' recording timers (test/runtime/sim/).
 */
export const SIM_MODULES: Record<string, string> = Object.fromEntries(
  ["sim_network.py", "sim_machine.py", "sim_timer.py"].map((name) => [`/lib/${name}`, readFileSync(join(SIM_DIR, name), "utf8")]),
);

const compiledSim = new Map<5 | 6, Promise<Record<string, Buffer>>>();

/**
 * SIM_MODULES compiled to .mpy for `abi`, for /lib on a device. They stand in for modules a
 * board's firmware has built in, whose code and names take no heap. The 1.25 port this repo
 * builds has them frozen, and finds those first (".frozen" is before "/lib" in sys.path, as on
 * the boards); an older firmware's port loads these. Compiled from source at every boot they
 * took about 4 KB of the heap from the device code under test; as .mpy from /lib, up to 3 KB
 * (their names start a qstr pool that the device code's would otherwise not need).
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
