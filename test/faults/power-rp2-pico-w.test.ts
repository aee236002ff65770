/** Power loss at block writes on rp2-pico-w, littlefs2 with 4096-byte blocks: see power.ts. */
import { BIG_DEEP_APP, powerSuite } from "./power.js";

// a smaller sample than FAT's in npm test (CI's time): littlefs2's switch is renames. The bigger,
// deeper app (esp32 runs the default one on littlefs2)
powerSuite({ board: "rp2-pico-w", label: "rp2-pico-w lfs2:4096", app: BIG_DEEP_APP, sample: { single: 5, first: 2, second: 3, pairs: 6, later: 1 } });
