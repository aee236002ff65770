import { plainModules } from "./modules.js";
import type { Target } from "./target.js";

/** MicroPython's unix port (1.25, 32-bit build): the board tests and simulation run on. */
export const unix: Target = {
  name: "unix",
  description: "MicroPython unix port 1.22 and later, for tests and simulation",
  firmware: { min: "1.22.0" },
  heap: { budgetBytes: 64 * 1024, source: "chosen for tests: -X heapsize=64k on the 32-bit unix port" },
  flash: { budgetBytes: 1024 * 1024, filesystem: "littlefs2", blockSize: 4096, alsoMet: [] },
  modules: plainModules,
  mpy: { abis: [6], arch: "x86" },
  chunkSize: 1024,
  maxManifestBytes: 16384,
  maxHeaderLineBytes: 2048,
  has: { ssl: false, reliableTls: false, wlan: false, machineReset: false, osSync: false, watchdog: false },
  timerId: null,
};
