/** Power loss at every block write on rp2-pico-w: see power.ts. */
import { powerSuite } from "./power.js";

powerSuite({ board: "rp2-pico-w", label: "rp2-pico-w" });
