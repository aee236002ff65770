/** Network faults on rp2-pico-w: every phase under `npm run reliability`, a sample of them in `npm test` (see network.ts). */
import { networkSuite } from "./network.js";

networkSuite("rp2-pico-w", { sample: true });
