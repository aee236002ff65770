/** Network faults at every phase on esp8266: see network.ts. */
import { networkSuite } from "./network.js";

networkSuite("esp8266");
