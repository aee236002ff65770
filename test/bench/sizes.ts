/** Bytes on flash of each generated module, as .py and as .mpy for the board's own ABI, from the examples' configs. */
import { loadConfig } from "../../generator/config/load.js";
import type { ResolvedConfig } from "../../generator/config/resolved.js";
import { generateBoard } from "../../generator/generate.js";
import { compileMpy } from "../../generator/mpy/compile.js";
import { packageRoot } from "../../generator/paths.js";
import type { Target } from "../../targets/index.js";

/** The example whose config each board's sizes come from (and whose generation is timed). */
export const EXAMPLE_OF: Record<string, string> = {
  esp8266: "examples/esp8266-sensor/ota.config.ts",
  esp32: "examples/greenhouse/ota.config.ts",
  "rp2-pico-w": "examples/greenhouse/ota.config.ts",
};

/** Module name (without extension) → bytes as .py and as .mpy (board ABI and arch). */
export type ModuleSizes = Record<string, { py: number; mpy: number }>;

export function exampleConfig(board: Target): ResolvedConfig {
  const loaded = loadConfig(EXAMPLE_OF[board.name]!, { cwd: packageRoot(), env: {} });
  if (!loaded.ok) throw new Error(`bench: ${EXAMPLE_OF[board.name]} does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.value;
}

export async function moduleSizes(board: Target): Promise<ModuleSizes> {
  if (!board.mpy) throw new Error(`bench: ${board.name} has no mpy ABI`);
  const sizes: ModuleSizes = {};
  for (const file of generateBoard(exampleConfig(board), board)) {
    const source = String(file.contents);
    const compiled = await compileMpy(source, file.name, { abi: board.mpy.abis.at(-1)!, arch: board.mpy.arch }); // current firmware's
    if (!compiled.ok) throw new Error(`bench: ${file.name}: ${JSON.stringify(compiled.diagnostics)}`);
    sizes[file.name.replace(/\.py$/, "")] = { py: Buffer.byteLength(source), mpy: compiled.value.length };
  }
  return sizes;
}
