/** A hostile network and hostile releases on esp32, .py and .mpy: see network-hostile.ts. */
import { hostileNetworkSuite } from "./network-hostile.js";

hostileNetworkSuite("esp32");
