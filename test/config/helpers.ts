/** Shared by the config tests: paths, and configs read from text without a file. */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic, Result } from "../../generator/diagnostics.js";
import { loadConfig } from "../../generator/config/load.js";
import type { ResolvedConfig } from "../../generator/config/resolved.js";
import { evaluateDefaultExport } from "../../generator/config/default-export.js";
import type { StaticObject, StaticValue } from "../../generator/config/static-value.js";
import { checkSource } from "../../generator/config/typecheck.js";

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The two folders of config fixtures: configs that load (perhaps with warnings), and configs that do not. */
export type FixtureKind = "valid" | "invalid";

/** A fixture's path relative to the repository root. */
export function fixture(kind: FixtureKind, name: string): string {
  return `test/fixtures/config/${kind}/${name}`;
}

/**
 * The environment a folder's fixtures load with: none for the invalid ones (so an embedded
 * secret's unset variable shows), and for the valid ones the secrets they ask to embed.
 */
export const FIXTURE_ENV: Readonly<Record<FixtureKind, Readonly<Record<string, string>>>> = {
  invalid: {},
  valid: { WIFI_PASS: "fixture-wifi-password" },
};

/** The fixtures of a folder, by name (the file without `.ts`), sorted. */
export function fixtureNames(kind: FixtureKind): string[] {
  return readdirSync(join(repoRoot, "test", "fixtures", "config", kind))
    .filter((file) => file.endsWith(".ts"))
    .map((file) => file.slice(0, -".ts".length))
    .sort();
}

/** Loads a fixture as the CLI would, from the repository root, with its folder's environment. */
export function loadFixture(kind: FixtureKind, name: string): Result<ResolvedConfig> {
  return loadConfig(fixture(kind, `${name}.ts`), { cwd: repoRoot, env: { ...FIXTURE_ENV[kind] } });
}

/** What loading reported: the errors of a config that failed, or the warnings of one that loaded. */
export function reported(result: Result<unknown>): Diagnostic[] {
  return result.ok ? result.warnings : result.diagnostics;
}

/** A fixture's baseline beside it, as TypeScript names them: `<name>.errors.txt`, what gen-ota prints for it. */
export function baselineOf(kind: FixtureKind, name: string): string {
  return join(repoRoot, fixture(kind, `${name}.errors.txt`));
}

/** Every baseline file of a folder, by the fixture name it belongs to. */
export function baselineNames(kind: FixtureKind): string[] {
  return readdirSync(join(repoRoot, "test", "fixtures", "config", kind))
    .filter((file) => file.endsWith(".errors.txt"))
    .map((file) => file.slice(0, -".errors.txt".length))
    .sort();
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
