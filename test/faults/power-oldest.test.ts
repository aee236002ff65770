/**
 * Power loss at block writes on each board's oldest supported firmware (see test/runtime/firmware.ts),
 * on the board's own flash: esp8266 on MicroPython 1.13 with FAT of 4096-byte sectors, esp32 on
 * 1.19.1 and Pico W on 1.20.0 with littlefs2. A firmware that is not given is skipped (a failure
 * under CI=true). `npm test` samples fewer cuts here than on 1.25 (CI's time): on esp8266 the
 * full update, the delta, the switch and the rollback (the first switch and the revert share
 * their code); on the littlefs2 boards, whose switch is renames, only the switch. `npm run
 * reliability` runs every cut of every scenario. See power.ts.
 */
import { targets } from "../../targets/index.js";
import { oldestFirmware } from "../runtime/firmware.js";
import { powerSuite } from "./power.js";

const esp8266 = targets.get("esp8266")!;
powerSuite({
  board: "esp8266", label: "esp8266 fat:4096", image: { blockSize: esp8266.flash.blockSize, blocks: 256 }, firmware: oldestFirmware(esp8266),
  sample: { single: 4, first: 2, second: 2, pairs: 4, later: 1 }, sampleScenarios: ["full-update", "delta-update", "switch", "rollback"],
});
for (const board of ["esp32", "rp2-pico-w"]) {
  powerSuite({
    board, label: `${board} lfs2:4096`, firmware: oldestFirmware(targets.get(board)!),
    sample: { single: 3, first: 2, second: 2, pairs: 4, later: 1 }, sampleScenarios: ["switch"],
  });
}
