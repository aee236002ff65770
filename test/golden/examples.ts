/** The examples under examples/ whose generated files are goldens: every folder with an ota.config.ts. */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../generator/config/load.js";
import type { ResolvedConfig } from "../../generator/config/resolved.js";

/** The examples' names, sorted. */
export function exampleNames(): string[] {
  return readdirSync("examples", { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join("examples", entry.name, "ota.config.ts")))
    .map((entry) => entry.name)
    .sort();
}

/** An example's config, loaded as gen-ota does with no environment; throws if it does not load. */
export function loadExample(name: string): ResolvedConfig {
  const loaded = loadConfig(join("examples", name, "ota.config.ts"), { env: {} });
  if (!loaded.ok) throw new Error(`examples/${name}/ota.config.ts does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.value;
}
