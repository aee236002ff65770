/** Network faults on esp32: every phase under `npm run reliability`, a sample of them in `npm test` (see network.ts). */
import { networkSuite } from "./network.js";

networkSuite("esp32", { sample: true });
