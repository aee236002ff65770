/** Network faults at every phase on esp32: see network.ts. */
import { networkSuite } from "./network.js";

networkSuite("esp32");
