/** The runtime tests' one exception to "each board at its heap budget", printed where it applies. */
import type { Variant } from "./updater.js";

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
export const heapOf = (boardName: string, variant: Variant): number | undefined => OVER_BUDGET[`${boardName} ${variant}`]?.heapBytes;

/**
 * With a manifest near the board's largest (the power matrix's app: 4 KB on ESP8266), keyed by
 * board and filesystem. On FAT with 4096-byte sectors (ESP8266's flash) a signed update passes at
 * 38 KB; on FAT with 512-byte sectors a boot through main.py that stages it ran out of heap at
 * 38 KB (and passed with one gc.collect() more: the heap is that tight). An open problem, printed
 * where it applies.
 */
export const LARGE_MANIFEST_OVER_BUDGET: Record<string, { heapBytes: number; reason: string }> = {
  "esp8266 fat:512": { heapBytes: 44 * 1024, reason: "a boot that stages a signed 4 KB manifest runs out of heap at 38 KB as .mpy on FAT with 512-byte sectors (FAT 4096, ESP8266's own, fits)" },
};

/** The heap a board runs the large-manifest matrix at on a filesystem ("fat:512", "lfs2"): its budget unless listed above (said once). */
export function largeManifestHeap(boardName: string, filesystem: string): number | undefined {
  const which = `${boardName} ${filesystem}`;
  const over = LARGE_MANIFEST_OVER_BUDGET[which];
  if (over && !said.has(which)) {
    said.add(which);
    console.log(`power matrix: ${which} runs at ${over.heapBytes / 1024} KB, over its budget: ${over.reason}`);
  }
  return over?.heapBytes;
}
const said = new Set<string>();
