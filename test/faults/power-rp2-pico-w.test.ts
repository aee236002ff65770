/** Power loss at block writes on rp2-pico-w, littlefs2 with 4096-byte blocks: see power.ts. */
import { powerSuite } from "./power.js";

powerSuite({ board: "rp2-pico-w", label: "rp2-pico-w lfs2:4096" });
