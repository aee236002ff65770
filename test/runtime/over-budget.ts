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
    name: "esp8266 py on an older firmware",
    applies: (w) => w.board === "esp8266" && w.variant === "py" && olderFirmware(w),
    heapBytes: 41 * 1024,
    // the rig's 3 KB and compiling from source: on 1.25 the .py output runs at its budget
    reason: "the prebuilt port's board program takes about 3 KB that a board keeps frozen, and the .py output compiles each module beside what the update holds. npm run bench's update on boot needs 38.6 KB on 1.13, its delta 38.6 KB; at 38 KB seven scenarios' updates on boot ran out of heap, at 39 KB every case passed (scenarios, ranges, hostile network), run at 41 as some of them depend on timing: an open problem. On 1.25 the .py output runs at the 38 KB budget, and --mpy fits on 1.13",
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
