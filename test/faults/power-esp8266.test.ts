/** Power loss at every block write on esp8266: see power.ts. */
import { powerSuite } from "./power.js";

powerSuite({ board: "esp8266", label: "esp8266" });
