import { uPrefixedModules } from "./modules.js";
import type { Target } from "./target.js";

/** ESP8266 with 1 MB+ flash, MicroPython 1.13 and later (u-modules, no f-strings, mpy ABI 5 or 6). */
export const esp8266: Target = {
  name: "esp8266",
  description: "ESP8266, 1 MB+ flash, MicroPython 1.13 and later",
  firmware: { min: "1.13.0" },
  heap: {
    budgetBytes: 38 * 1024,
    source:
      "the static 38 KB GC heap of every ESP8266 build since 1.13 (31-36 KB free after boot, with the filesystem mounted); axTLS allocates from it too",
  },
  flash: { budgetBytes: 256 * 1024, filesystem: "fat", blockSize: 4096, alsoMet: [] },
  modules: uPrefixedModules,
  mpy: { abis: [5, 6], arch: "xtensa" },  // 1.13 to 1.18 load ABI 5, 1.19 and later ABI 6
  chunkSize: 512,
  maxManifestBytes: 4096,
  maxHeaderLineBytes: 1280, // a 1.5 KB Location ran out of 38 KB on 1.13 (.mpy) beside a 4 KB manifest
  has: { ssl: true, reliableTls: false, wlan: true, machineReset: true, osSync: true, watchdog: false },
  timerId: -1,
};
