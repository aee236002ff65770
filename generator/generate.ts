/** Renders a board's device files from a resolved config: pure, in memory, deterministic. */
import type { Target } from "../targets/index.js";
import type { ResolvedConfig } from "./config/resolved.js";
import { packageVersion } from "./paths.js";
import { loadTemplates } from "./render/handlebars.js";
import { buildModel, type TemplateModel } from "./render/model.js";

export interface GeneratedFile {
  /** Name on the device and in the output directory, e.g. "ota.py". */
  name: string;
  contents: string | Uint8Array;
}

/** The device files gen-ota writes for every board, in order. */
export const DEVICE_FILES = [
  "ota.py",
  "ota_fs.py",
  "ota_switch.py",
  "ota_copy.py",
  "ota_clear.py",
  "ota_fetch.py",
  "ota_index.py",
  "ota_http.py",
  "ota_response.py",
  "ota_outline.py",
  "ota_manifest.py",
  "ota_verify.py",
  "ota_sha512.py",
  "ota_ed25519.py",
  "ota_prepare.py",
  "ota_stage.py",
  "ota_trial.py",
  "ota_main.py",
  "main.py",
] as const;

/** Files only some configs need: the signature check where there are keys, the trial guard, the FAT switch and clearing, a range's version index. */
const ONLY_WHEN: Partial<Record<(typeof DEVICE_FILES)[number], (model: TemplateModel) => boolean>> = {
  "ota_verify.py": (model) => model.features.signed,
  "ota_sha512.py": (model) => model.features.signed,
  "ota_ed25519.py": (model) => model.features.signed,
  "ota_trial.py": (model) => model.features.trialGuard,
  "ota_copy.py": (model) => model.features.copySwitch,
  "ota_clear.py": (model) => model.features.copySwitch,
  "ota_index.py": (model) => model.features.range,
};

/** ota.py and main.py for one board. */
export function generateBoard(config: ResolvedConfig, target: Target): GeneratedFile[] {
  const templates = loadTemplates();
  const model = buildModel(config, target, packageVersion());
  return DEVICE_FILES.filter((name) => ONLY_WHEN[name]?.(model) ?? true).map((name) => {
    const render = templates.get(name);
    if (!render) throw new Error(`gen-ota: template ${name}.hbs is missing`);
    return { name, contents: tidy(render(model)) };
  });
}

/** One trailing newline, no trailing spaces, at most two blank lines in a row. */
function tidy(text: string): string {
  return `${text.replace(/[ \t]+$/gm, "").replace(/\n{4,}/g, "\n\n\n").trimEnd()}\n`;
}
