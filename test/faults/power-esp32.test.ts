/** Power loss at every block write on esp32: see power.ts. */
import { powerSuite } from "./power.js";

powerSuite({ board: "esp32", label: "esp32" });
