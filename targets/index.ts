/**
 * Every board gen-ota knows: each file in this folder that exports a Target. Adding a board is
 * adding one file (and its name to `BoardName` in generator/config/types.ts, which a test checks).
 */
import { readdirSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Target } from "./target.js";

export type { Filesystem, MpyAbi, Target } from "./target.js";

const here = fileURLToPath(import.meta.url);
const extension = extname(here); // ".ts" under jest, ".js" once built
const NOT_BOARDS = new Set(["index", "target", "modules", "heap"]);

async function loadBoards(): Promise<Target[]> {
  const files = readdirSync(dirname(here))
    .filter((file) => file.endsWith(extension) && !file.endsWith(".d.ts") && !NOT_BOARDS.has(basename(file, extension)))
    .sort();
  const boards: Target[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dirname(here), file)).href)) as Record<string, unknown>;
    boards.push(...Object.values(module).filter(isTarget));
  }
  return boards.sort((a, b) => boardOrder(a) - boardOrder(b) || a.name.localeCompare(b.name));
}

function isTarget(value: unknown): value is Target {
  return typeof value === "object" && value !== null && "name" in value && "heap" in value && "modules" in value;
}

/** Real boards first, by heap size; the unix port (no Wi-Fi) last. */
function boardOrder(target: Target): number {
  return target.has.wlan ? target.heap.budgetBytes : Number.MAX_SAFE_INTEGER;
}

/** Every board gen-ota knows, by name. */
export const targets: ReadonlyMap<string, Target> = new Map((await loadBoards()).map((target) => [target.name, target]));

/** The board names, in a stable order for messages. */
export const targetNames: readonly string[] = [...targets.keys()];
