/**
 * The MicroPython firmware the runtime tests run on: 1.25 (the unix port build-micropython.sh
 * builds and caches), and each board's oldest supported firmware, which a user passes in by
 * environment variable (`.ci/run` passes `../shared/runtimes/`). A firmware that is not given is
 * skipped with its reason printed, except under CI=true, where it is a failure.
 */
import { accessSync, constants, statSync } from "node:fs";
import { probeImplementation } from "../../generator/simulate/board.js";
import { firmwareAtLeast } from "../../targets/heap.js";
import type { Target } from "../../targets/index.js";
import { findMicropython } from "./micropython.js";
import type { ImageOptions } from "./updater.js";

export interface Firmware {
  /** e.g. "1.13.0". */
  version: string;
  /** The environment variable that names its unix port; null for the one this repo builds. */
  variable: string | null;
  /** The .mpy ABI it loads: 5 before 1.19, 6 from it. */
  abi: 5 | 6;
}

export const FIRMWARES: readonly Firmware[] = [
  { version: "1.13.0", variable: "GEN_OTA_MICROPYTHON_1_13", abi: 5 },
  { version: "1.19.1", variable: "GEN_OTA_MICROPYTHON_1_19", abi: 6 },
  { version: "1.20.0", variable: "GEN_OTA_MICROPYTHON_1_20", abi: 6 },
  { version: "1.25.0", variable: null, abi: 6 },
];

/** The newest firmware, built by this repo: every board runs on it too. */
export const CURRENT_FIRMWARE = FIRMWARES[FIRMWARES.length - 1]!;

/** The oldest firmware of FIRMWARES that `board` supports (at or above its `firmware.min`). */
export function oldestFirmware(board: Target): Firmware {
  return FIRMWARES.find((f) => firmwareAtLeast(f.version, board.firmware.min)) ?? CURRENT_FIRMWARE;
}

/** The columns of a board's runtime tests: its oldest supported firmware, then 1.25 (one column when they are the same). */
export function firmwareColumns(board: Target): Firmware[] {
  const oldest = oldestFirmware(board);
  return oldest === CURRENT_FIRMWARE ? [CURRENT_FIRMWARE] : [oldest, CURRENT_FIRMWARE];
}

/**
 * How to flash `board` for a column (flashDevice's ImageOptions): the unix port `micropython` of
 * `firmware`, modules compiled for its .mpy ABI, and on an older firmware the board's own sector
 * size (FAT with 4096-byte sectors on ESP8266, as its flash has).
 */
export function firmwareImage(board: Target, firmware: Firmware, micropython: string | undefined): ImageOptions {
  return { micropython, mpyAbi: firmware.abi, ...(firmware === CURRENT_FIRMWARE ? {} : { blockSize: board.flash.blockSize }) };
}

/** A runtime ready to use, or why it is not there. */
export type RuntimeLookup = { ok: true; binary: string } | { ok: false; reason: string; given: boolean };

const looked = new Map<string, RuntimeLookup>();

/** The unix port of `firmware`, checked: it exists, runs, and is the version it claims. */
export function findRuntime(firmware: Firmware): RuntimeLookup {
  let found = looked.get(firmware.version);
  if (found === undefined) {
    found = lookUp(firmware);
    looked.set(firmware.version, found);
  }
  return found;
}

/**
 * The runtime for a test, or undefined when the test is to be skipped (the reason is printed
 * once). A variable that names a bad runtime throws, and under CI=true so does one not set:
 * CI proves every column of the matrix.
 */
export function runtimeOrSkip(firmware: Firmware): string | undefined {
  const found = findRuntime(firmware);
  if (found.ok) return found.binary;
  if (found.given || process.env["CI"] === "true") throw new Error(`MicroPython ${firmware.version}: ${found.reason}`);
  if (!announced.has(firmware.version)) {
    announced.add(firmware.version);
    process.stderr.write(`SKIPPED MicroPython ${firmware.version} column: ${found.reason}\n`);
  }
  return undefined;
}
const announced = new Set<string>();

function lookUp(firmware: Firmware): RuntimeLookup {
  if (firmware.variable === null) return { ok: true, binary: findMicropython() };
  const path = process.env[firmware.variable];
  if (!path) return { ok: false, reason: `${firmware.variable} is not set (the path of a 32-bit unix port of MicroPython ${firmware.version})`, given: false };
  const bad = (reason: string): RuntimeLookup => ({ ok: false, reason, given: true });
  try {
    if (!statSync(path).isFile()) return bad(`${firmware.variable}=${path} is not a file`);
    accessSync(path, constants.X_OK);
  } catch {
    return bad(`${firmware.variable}=${path} does not exist or is not executable`);
  }
  const probe = probeImplementation(path);
  if (!probe.ok) return bad(`${firmware.variable}=${path} does not run (${probe.reason})`);
  if (probe.value.version !== firmware.version) return bad(`${firmware.variable}=${path} is MicroPython ${probe.value.version}, not ${firmware.version}`);
  return { ok: true, binary: path };
}
