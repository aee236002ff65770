/**
 * The runtime tests' exceptions to "each board at its heap budget": one table, one lookup, each
 * exception printed once where it applies. Every one is an open problem, measured, not a bound.
 */
import type { Variant } from "./updater.js";
import { CURRENT_FIRMWARE, type Firmware } from "./firmware.js";

/** What a test runs: a board, the device code's form, and where it matters the firmware. */
export interface Workload {
  board: string;
  variant: Variant;
  /** Default 1.25, the unix port this repo builds. */
  firmware?: Firmware;
}

interface Exception {
  /** How the printed line names it. */
  name: string;
  applies(workload: Workload): boolean;
  heapBytes: number;
  reason: string;
}

const olderFirmware = (workload: Workload): boolean => workload.firmware !== undefined && workload.firmware !== CURRENT_FIRMWARE;

/** The first that applies wins. */
const EXCEPTIONS: Exception[] = [
  {
    name: "esp8266 py",
    applies: (w) => w.board === "esp8266" && w.variant === "py",
    heapBytes: 52 * 1024,
    // compiling from source takes large blocks next to the manifest, and the names the signature
    // check compiles take a fifth qstr pool (2.3 KB for good); the .mpy form fits
    reason: "a signed update on boot compiled from .py needs 40.9 KB on 1.25 and 43.4 KB on 1.13 with the bench's apps (npm run bench), more beside the tests' larger manifests, and passes or fails with where the compiler's blocks land (compiling ota_manifest and ota_stage beside the manifest): an open problem; use --mpy on ESP8266, which fits 38 KB, as the budget report says",
  },
  {
    name: "esp8266 on an older firmware",
    applies: (w) => w.board === "esp8266" && olderFirmware(w),
    heapBytes: 40 * 1024,
    // the 1.25 port this repo builds has the board program frozen in; a prebuilt older port cannot
    reason: "the prebuilt port runs the board program from .mpy, about 3 KB of heap at idle that the 1.25 port, like a board, keeps frozen. On 1.13, at 38 KB, the network matrix's first full update and a Location at the header line limit beside a 4 KB manifest ran out of heap (a clean 'update failed', the running version kept), while npm run bench measures 34.1 KB with its app: an open problem",
  },
];

const said = new Set<string>();

/** The heap a test runs `workload` at: the board's budget (undefined) unless an exception applies, which is then printed once. */
export function testHeap(workload: Workload): number | undefined {
  const exception = EXCEPTIONS.find((e) => e.applies(workload));
  if (exception === undefined) return undefined;
  if (!said.has(exception.name)) {
    said.add(exception.name);
    console.log(`${exception.name} runs at ${exception.heapBytes / 1024} KB, over its budget: ${exception.reason}`);
  }
  return exception.heapBytes;
}
