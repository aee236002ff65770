import { esp32 } from "./esp32.js";
import { esp8266 } from "./esp8266.js";
import { rp2PicoW } from "./rp2-pico-w.js";
import type { Target } from "./target.js";
import { unix } from "./unix.js";

export type { Filesystem, Target } from "./target.js";

/** Every board gen-ota knows, by name. Adding a board is adding a file and a line here. */
export const targets: ReadonlyMap<string, Target> = new Map(
  [esp8266, esp32, rp2PicoW, unix].map((target) => [target.name, target]),
);

/** The board names, in a stable order for messages. */
export const targetNames: readonly string[] = [...targets.keys()];
