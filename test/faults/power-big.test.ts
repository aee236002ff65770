/**
 * Power loss at block writes with a bigger, deeper app than the matrix's default (power.ts
 * BIG_DEEP_APP: 22 files, ~80 KB, 4 KB modules, a package five folders down, a 12 KB file), on
 * esp8266 with FAT of 512-byte sectors, at the board's heap budget. `npm test` cuts the switch and
 * the rollback at a few points; `npm run reliability` every write of every scenario, and pairs.
 */
import { BIG_DEEP_APP, powerSuite } from "./power.js";

powerSuite({
  board: "esp8266", label: "esp8266 fat:512", image: { blocks: 2048 }, app: BIG_DEEP_APP,
  sample: { single: 4, first: 2, second: 2, pairs: 4, later: 1 }, sampleScenarios: ["switch", "rollback"],
});
