/** Locates the 32-bit MicroPython unix binary the runtime tests run device code on. */

import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BUILD_SCRIPT = fileURLToPath(new URL("./build-micropython.sh", import.meta.url));

let cached: string | undefined;

/** `GEN_OTA_MICROPYTHON` if set, else the path build-micropython.sh prints (it builds once, then caches). */
export function findMicropython(): string {
  if (cached !== undefined) return cached;
  const fromEnv = process.env["GEN_OTA_MICROPYTHON"];
  if (fromEnv) {
    cached = fromEnv;
    return cached;
  }
  const out = execFileSync("bash", [BUILD_SCRIPT], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const path = out.trim().split("\n").pop();
  if (!path) throw new Error("build-micropython.sh printed no binary path");
  cached = path;
  return cached;
}
