import { plainModules } from "./modules.js";
import type { Target } from "./target.js";

/** ESP32 without PSRAM, MicroPython 1.19 and later. */
export const esp32: Target = {
  name: "esp32",
  description: "ESP32 without PSRAM, MicroPython 1.19 and later",
  firmware: { min: "1.19.0" },
  heap: {
    budgetBytes: 56 * 1024,
    source: "about 111 KB up to 1.20; from 1.21 a split heap that starts at 56 KB and grows, so 56 KB is what is sure",
  },
  flash: { budgetBytes: 1024 * 1024, filesystem: "littlefs2", blockSize: 4096, alsoMet: ["fat"] },
  modules: plainModules,
  mpy: { abis: [6], arch: "xtensawin" },
  chunkSize: 1024,
  maxManifestBytes: 8192,
  maxHeaderLineBytes: 2048,
  has: { ssl: true, reliableTls: true, wlan: true, machineReset: true, osSync: false, watchdog: true },
  timerId: 0,
};
