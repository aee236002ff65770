/** Power loss at block writes on esp32, littlefs2 with 4096-byte blocks: see power.ts. */
import { powerSuite } from "./power.js";

powerSuite({ board: "esp32", label: "esp32 lfs2:4096" });
