/**
 * Power loss at block writes on FAT with 4096-byte sectors, as the boards' flash has them:
 * ESP8266's FAT images, and an ESP32 whose filesystem is an `ffat` partition (its device code
 * finds out at boot that it runs on FAT). See power.ts.
 */
import { BIG_DEEP_APP, powerSuite } from "./power.js";

powerSuite({ board: "esp8266", label: "esp8266 fat:4096", image: { blockSize: 4096, blocks: 256 } });
// the bigger, deeper app here: esp8266 runs the default one on FAT 4096
powerSuite({ board: "esp32", label: "esp32 ffat (fat:4096)", image: { fs: "fat", blockSize: 4096, blocks: 256 }, app: BIG_DEEP_APP, sample: { single: 5, later: 1 } });
