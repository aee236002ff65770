/** Network faults at every phase on rp2-pico-w: see network.ts. */
import { networkSuite } from "./network.js";

networkSuite("rp2-pico-w");
