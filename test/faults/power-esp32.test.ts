/** Power loss at block writes on esp32, littlefs2 with 4096-byte blocks: see power.ts. */
import { powerSuite } from "./power.js";

// a smaller sample than FAT's in npm test (CI's time): littlefs2's switch is renames
powerSuite({ board: "esp32", label: "esp32 lfs2:4096", sample: { single: 5, first: 2, second: 3, pairs: 6, later: 1 } });
