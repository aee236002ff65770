/** The runtime tests' one exception to "each board at its heap budget", printed where it applies. */
import type { Variant } from "./updater.js";
import { CURRENT_FIRMWARE, type Firmware } from "./firmware.js";

/**
 * Where a form does not fit its board's heap budget: the heap it runs at instead, and why. ESP8266's
 * .py form, signed, needs more than its 38 KB on the unix port: compiling from source takes
 * large blocks next to the manifest, and the names the signature check compiles take a fifth
 * qstr pool (2.3 KB for good). The .mpy form fits. The scenarios still run .py, at the heap it
 * needs, and say so.
 */
export const OVER_BUDGET: Record<string, { heapBytes: number; reason: string }> = {
  "esp8266 py": { heapBytes: 48 * 1024, reason: "a signed update compiled from .py passes at 40 KB on the unix port but not at every size up to 46 KB (compiling ota_manifest and ota_stage beside the manifest; success is not monotonic in the heap size): an open problem; use --mpy on ESP8266, which fits 38 KB, as the budget report says" },
};
for (const [which, { heapBytes, reason }] of Object.entries(OVER_BUDGET)) {
  console.log(`scenarios: ${which} runs at ${heapBytes / 1024} KB, over its budget: ${reason}`);
}
/** The heap a test runs `variant` at: as OVER_BUDGET says, else, on an older `firmware`, as FULL_UPDATE_OVER_BUDGET says; else undefined (the budget). */
export const heapOf = (boardName: string, variant: Variant, firmware?: Firmware): number | undefined =>
  OVER_BUDGET[`${boardName} ${variant}`]?.heapBytes ?? (firmware ? fullUpdateHeap(boardName, firmware) : undefined);

/**
 * With a manifest near the board's largest (the power matrix's app: 26 files, a 4 KB manifest on
 * ESP8266), keyed by board and filesystem (and firmware when not 1.25). On ESP8266 the first
 * install, a delta and the switch pass at 38 KB on FAT 512 and 4096, on 1.13 and 1.25; the update
 * that follows a rollback or a revert (the matrix's "later update") ran out of heap at 38 KB,
 * reading the manifest's 512-byte pieces, on each of them: the heap is that tight, and where the
 * GC leaves long-lived blocks decides it (at 40 KB one run of two failed a revert's later
 * update). An open problem, printed where it applies; the heap here is one at which every row
 * passed in repeated runs, measured, not a bound.
 */
const LATER_UPDATE_TIGHT = "the update after a rollback or revert, with a 4 KB manifest, ran out of heap at 38 KB, and at 40 KB in one run of two (first install, delta and switch pass at 38)";
export const LARGE_MANIFEST_OVER_BUDGET: Record<string, { heapBytes: number; reason: string }> = {
  "esp8266 fat:512": { heapBytes: 44 * 1024, reason: LATER_UPDATE_TIGHT },
  "esp8266 fat:4096": { heapBytes: 44 * 1024, reason: LATER_UPDATE_TIGHT },
  "esp8266 fat:4096 1.13.0": { heapBytes: 44 * 1024, reason: LATER_UPDATE_TIGHT },
};

/**
 * The heap a board runs the large-manifest matrix at on a filesystem ("fat:512", "lfs2") and
 * firmware: its budget unless listed above (said once). A firmware other than 1.25 is keyed
 * "esp8266 fat:4096 1.13.0".
 */
export function largeManifestHeap(boardName: string, filesystem: string, firmware?: Firmware): number | undefined {
  const which = firmware && firmware !== CURRENT_FIRMWARE ? `${boardName} ${filesystem} ${firmware.version}` : `${boardName} ${filesystem}`;
  const over = LARGE_MANIFEST_OVER_BUDGET[which];
  if (over && !said.has(which)) {
    said.add(which);
    console.log(`power matrix: ${which} runs at ${over.heapBytes / 1024} KB, over its budget: ${over.reason}`);
  }
  return over?.heapBytes;
}
const said = new Set<string>();

/**
 * A full update on a firmware other than 1.25, keyed "esp8266 1.13.0": on ESP8266 1.13 it needs
 * about 38.4 KB as .mpy (`npm run bench`; the budget report says ESP8266 does not fit on 1.13), so
 * a test that stages a whole release there passes or fails at 38 KB with the socket's read sizes.
 * The open problem of that firmware; those tests run at this heap and say so.
 */
export const FULL_UPDATE_OVER_BUDGET: Record<string, { heapBytes: number; reason: string }> = {
  "esp8266 1.13.0": { heapBytes: 40 * 1024, reason: "a full update as .mpy needs about 38.4 KB on 1.13 (npm run bench), and at 38 KB staging passes or fails with the socket's read sizes" },
};

/** The heap a test that stages a whole release runs a board at on a firmware: its budget unless listed above (said once). */
export function fullUpdateHeap(boardName: string, firmware: Firmware): number | undefined {
  const which = `${boardName} ${firmware.version}`;
  const over = firmware === CURRENT_FIRMWARE ? undefined : FULL_UPDATE_OVER_BUDGET[which];
  if (over && !said.has(which)) {
    said.add(which);
    console.log(`full update: ${which} runs at ${over.heapBytes / 1024} KB, over its budget: ${over.reason}`);
  }
  return over?.heapBytes;
}
