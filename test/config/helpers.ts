/** Shared by the config tests: paths, and configs read from text without a file. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { evaluateDefaultExport } from "../../generator/config/default-export.js";
import type { StaticObject, StaticValue } from "../../generator/config/static-value.js";
import { checkSource } from "../../generator/config/typecheck.js";

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A fixture's path relative to the repository root. */
export function fixture(kind: "valid" | "invalid", name: string): string {
  return `test/fixtures/config/${kind}/${name}`;
}

/** The config a text's default export evaluates to, and the evaluation's issues. */
export function evaluateText(text: string): { config: StaticObject | undefined; codes: string[] } {
  const evaluation = evaluateDefaultExport(checkSource(text).sourceFile);
  return { config: evaluation.config, codes: evaluation.issues.map((issue) => issue.code) };
}

/** A static value as plain data, spans dropped: what a test compares. */
export function plain(value: StaticValue | undefined): unknown {
  if (value === undefined) return undefined;
  switch (value.kind) {
    case "string":
    case "number":
    case "boolean":
      return value.value;
    case "null":
      return null;
    case "undefined":
      return "<undefined>";
    case "array":
      return value.items.map(plain);
    case "object":
      return Object.fromEntries(value.properties.map((entry) => [entry.key, plain(entry.value)]));
    case "secret":
      return { secret: value.name };
    case "dynamic":
      return "<dynamic>";
  }
}

/** "CODE line:col", with "warning " first for warnings: what the table test compares. */
export function brief(diagnostic: Diagnostic): string {
  const where = diagnostic.location ? `${diagnostic.location.line}:${diagnostic.location.column}` : "-";
  return `${diagnostic.severity === "warning" ? "warning " : ""}${diagnostic.code} ${where}`;
}

/** A public key the config tests' signing uses (no one holds its private key). */
export const TEST_KEY = "ecSlx8qyOo2cjFPN7N/8tfGfPn+wqYB05RqBTJO0M/U=";

/** Wraps config keys in a minimal valid config's text; `signing` is added on the last line unless the body has one. */
export function configText(body: string, imports = "defineConfig, secret"): string {
  const trimmed = body.trimEnd();
  const signing = /\bsigning\s*:/.test(body) ? "" : `${trimmed === "" || trimmed.endsWith(",") ? "" : ","} signing: { publicKeys: ["${TEST_KEY}"] }`;
  return `import { ${imports} } from "gen-ota";\nexport default defineConfig({\n${trimmed}${signing}\n});\n`;
}
