/** Network faults at every phase on esp8266, on 1.25 and on 1.13 (its tightest heap and oldest firmware): see network.ts. */
import { networkSuite } from "./network.js";

networkSuite("esp8266", { oldest: true });
