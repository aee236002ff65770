/** Renders a board's device files from a resolved config: pure, in memory, deterministic. */
import type { Target } from "../targets/index.js";
import type { ResolvedConfig } from "./config/resolved.js";
import { packageVersion } from "./paths.js";
import { loadTemplates } from "./render/handlebars.js";
import { buildModel } from "./render/model.js";

export interface GeneratedFile {
  /** Name on the device and in the output directory, e.g. "ota.py". */
  name: string;
  contents: string | Uint8Array;
}

/** The device files gen-ota writes, in order; ota_copy.py only for a board that may run on FAT. */
export const DEVICE_FILES = ["ota.py", "ota_switch.py", "ota_copy.py", "ota_fetch.py", "ota_http.py", "ota_manifest.py", "ota_stage.py", "main.py"] as const;

/** ota.py and main.py for one board. */
export function generateBoard(config: ResolvedConfig, target: Target): GeneratedFile[] {
  const templates = loadTemplates();
  const model = buildModel(config, target, packageVersion());
  const names = DEVICE_FILES.filter((name) => name !== "ota_copy.py" || model.features.copySwitch);
  return names.map((name) => {
    const render = templates.get(name);
    if (!render) throw new Error(`gen-ota: template ${name}.hbs is missing`);
    return { name, contents: tidy(render(model)) };
  });
}

/** One trailing newline, no trailing spaces, at most two blank lines in a row. */
function tidy(text: string): string {
  return `${text.replace(/[ \t]+$/gm, "").replace(/\n{4,}/g, "\n\n\n").trimEnd()}\n`;
}
