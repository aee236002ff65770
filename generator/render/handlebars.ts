/** A Handlebars instance configured for Python: no HTML escaping, strict, known helpers only. */
import Handlebars from "handlebars";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { templatesDir } from "../paths.js";
import { pythonImport, pythonLiteral } from "./python.js";

export type RenderTemplate = (context: object) => string;

const compileOptions: CompileOptions = { noEscape: true, strict: true, knownHelpersOnly: true, knownHelpers: { py: true, import: true } };

type CompileOptions = Parameters<typeof Handlebars.compile>[1];

let cached: Map<string, RenderTemplate> | undefined;

/** Every top-level template (`ota.py.hbs` → "ota.py"), compiled with the partials registered. */
export function loadTemplates(): Map<string, RenderTemplate> {
  if (cached) return cached;
  const instance = Handlebars.create();
  instance.registerHelper("py", (value: unknown) => pythonLiteral(value));
  instance.registerHelper("import", (module: string, name: string) => pythonImport(module, name));
  const dir = templatesDir();
  for (const file of readdirSync(join(dir, "partials")).sort()) {
    if (!file.endsWith(".hbs")) continue;
    const source = readFileSync(join(dir, "partials", file), "utf8");
    instance.registerPartial(basename(file, ".hbs"), instance.compile(source, compileOptions));
  }
  const templates = new Map<string, RenderTemplate>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".hbs")) continue;
    const template = instance.compile(readFileSync(join(dir, file), "utf8"), compileOptions);
    templates.set(basename(file, ".hbs"), (context) => template(context));
  }
  cached = templates;
  return templates;
}
