/** Loads `ota.config.ts`: reads it, type-checks it, evaluates it statically, validates it, applies defaults. */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { targets } from "../../targets/index.js";
import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { evaluateDefaultExport } from "./default-export.js";
import { hasErrors, type Issue } from "./issue.js";
import { toDiagnostic } from "./locate.js";
import { resolveConfig } from "./resolve.js";
import type { ResolvedConfig } from "./resolved.js";
import type { Environment } from "./secrets.js";
import { checkSource } from "./typecheck.js";
import { validateConfig } from "./validate.js";

/** Where to read from: the environment embedded secrets come from, and the directory relative paths start at. */
export interface LoadOptions {
  /** Default `process.env`. */
  env?: Environment;
  /** Default `process.cwd()`. */
  cwd?: string;
}

/** Loads the config file at `configPath`: the resolved config and its warnings, or every problem found. */
export function loadConfig(configPath: string, options: LoadOptions = {}): Result<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const absolute = resolve(cwd, configPath);
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch (cause) {
    return fail([unreadable(configPath, cause)]);
  }
  return loadFromText(text, displayPathOf(configPath, cwd), configPath, { ...options, cwd: dirname(absolute) });
}

/** Loads a config from its text; `displayPath` names it in diagnostics and in the result. */
export function loadConfigFromText(
  text: string,
  displayPath: string,
  options: LoadOptions = {},
): Result<ResolvedConfig> {
  return loadFromText(text, displayPath, displayPath, options);
}

function loadFromText(
  text: string,
  displayPath: string,
  configPath: string,
  options: LoadOptions,
): Result<ResolvedConfig> {
  const env = options.env ?? process.env;
  const configDir = options.cwd ?? process.cwd(); // the config file's directory (loadConfig passes it)
  const source = checkSource(text);
  const located = (issues: Issue[]): Diagnostic[] =>
    sortIssues(issues).map((issue) => toDiagnostic(issue, text, displayPath));
  if (source.syntaxIssues.length > 0) return fail(located(source.syntaxIssues));
  const evaluation = evaluateDefaultExport(source.sourceFile);
  const ours = [...evaluation.issues];
  const validation = evaluation.config === undefined ? undefined : validateConfig(evaluation.config, { env, targets, configDir });
  ours.push(...(validation?.issues ?? []));
  const typeIssues = source.typeIssues.filter((issue) => !isCovered(issue, ours));
  const all = [...ours, ...typeIssues];
  if (evaluation.config === undefined || validation === undefined || hasErrors(all)) return fail(located(all));
  const value = resolveConfig(evaluation.config, validation.readings, { configPath, env });
  return ok(value, located(all));
}

/** A TypeScript issue is redundant where one of our errors already speaks for the same source. */
function isCovered(typeIssue: Issue, ours: readonly Issue[]): boolean {
  const span = typeIssue.span;
  if (span === undefined) return false;
  return ours.some(
    (issue) =>
      issue.severity === "error" &&
      (issue.span?.start === span.start ||
        (issue.cover ?? []).some((cover) => span.start >= cover.start && span.end <= cover.end)),
  );
}

/** Issues in file order (whole-file issues first); ties keep the order they were found in. */
function sortIssues(issues: readonly Issue[]): Issue[] {
  return [...issues].sort((a, b) => (a.span?.start ?? -1) - (b.span?.start ?? -1));
}

function displayPathOf(configPath: string, cwd: string): string {
  if (!isAbsolute(configPath)) return configPath;
  const inside = relative(cwd, configPath);
  return inside !== "" && !inside.startsWith("..") && !isAbsolute(inside) ? inside : configPath;
}

function unreadable(configPath: string, cause: unknown): Diagnostic {
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : "";
  if (code === "ENOENT") {
    return {
      code: "GEN_OTA_0001",
      severity: "error",
      message: `config file not found: ${configPath}`,
      hint: "run gen-ota in the device repo beside its ota.config.ts, or give the config's path with --config",
    };
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  return { code: "GEN_OTA_0001", severity: "error", message: `cannot read config file ${configPath}: ${reason}` };
}
