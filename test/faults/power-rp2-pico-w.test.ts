/** Power loss at block writes on rp2-pico-w, littlefs2 with 4096-byte blocks: see power.ts. */
import { powerSuite } from "./power.js";

// a smaller sample than FAT's in npm test (CI's time): littlefs2's switch is renames
powerSuite({ board: "rp2-pico-w", label: "rp2-pico-w lfs2:4096", sample: { single: 5, first: 2, second: 3, pairs: 6, later: 1 } });
