import { plainModules } from "./modules.js";
import type { Target } from "./target.js";

/** Raspberry Pi Pico W (RP2040 with CYW43 Wi-Fi), MicroPython 1.20 and later. */
export const rp2PicoW: Target = {
  name: "rp2-pico-w",
  description: "Raspberry Pi Pico W, MicroPython 1.20 and later",
  firmware: { min: "1.20.0" },
  heap: {
    budgetBytes: 160 * 1024,
    source: "about 178 KB free after boot on the Pico W; 160 KB leaves room for the network stack",
  },
  flash: { budgetBytes: 768 * 1024, filesystem: "littlefs2", blockSize: 4096, alsoMet: [] },
  modules: plainModules,
  mpy: { abis: [6], arch: "armv6m" },
  chunkSize: 2048,
  maxManifestBytes: 32768,
  maxHeaderLineBytes: 2048,
  has: { ssl: true, reliableTls: true, wlan: true, machineReset: true, osSync: false, watchdog: true },
  timerId: -1,
};
