/** A hostile network and hostile releases on rp2-pico-w, .py and .mpy: see network-hostile.ts. */
import { hostileNetworkSuite } from "./network-hostile.js";

hostileNetworkSuite("rp2-pico-w");
