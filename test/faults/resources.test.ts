/** Flash full and MemoryError mid-update on every board: see resources.ts. */
import { BOARDS } from "./common.js";
import { resourcesSuite } from "./resources.js";

for (const board of BOARDS) resourcesSuite(board);
