/** Locates the MicroPython unix binaries: the 32-bit one the runtime tests run device code on, and its 64-bit build. */

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

let cached64: string | undefined;

/**
 * The same unix port built 64-bit (build-micropython.sh --x86-64, built once, then cached), for
 * tools that run native programs only, such as valgrind; the heap figures still come from the
 * 32-bit one.
 */
export function findMicropythonX86_64(): string {
  if (cached64 !== undefined) return cached64;
  const out = execFileSync("bash", [BUILD_SCRIPT, "--x86-64"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const path = out.trim().split("\n").pop();
  if (!path) throw new Error("build-micropython.sh --x86-64 printed no binary path");
  cached64 = path;
  return cached64;
}
