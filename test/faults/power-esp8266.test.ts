/** Power loss at block writes on esp8266, FAT with 512-byte sectors (the harness's default): see power.ts. */
import { powerSuite } from "./power.js";

powerSuite({ board: "esp8266", label: "esp8266 fat:512" });
