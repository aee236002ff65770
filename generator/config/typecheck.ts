/** Parses the config text and type-checks it against gen-ota's types, in an in-memory TypeScript project. */
import { DiagnosticCategory, Project, ts, type Diagnostic as TsDiagnostic, type SourceFile } from "ts-morph";
import { error, warning, type Issue } from "./issue.js";
import { GEN_OTA_MODULE } from "./imports.js";
import { genOtaTypesSource } from "./package-root.js";

/** The parsed config, its syntax errors (0002), and TypeScript's type errors (1xxx). */
export interface CheckedSource {
  sourceFile: SourceFile;
  syntaxIssues: Issue[];
  /** Empty when there are syntax errors: types are not checked then. */
  typeIssues: Issue[];
}

const CONFIG_FILE = "/ota.config.ts";
const TYPES_FILE = "/node_modules/gen-ota/config/types.ts";

/** TypeScript codes with a code of their own; every other TypeScript error is 1001. */
const CANNOT_FIND_MODULE = new Set([2307, 2792]);

let shared: Project | undefined;

/** One in-memory project for every load: gen-ota's types are parsed and bound once per process. */
function configProject(): Project {
  if (shared) return shared;
  shared = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2022.d.ts"],
      types: [],
      paths: { [GEN_OTA_MODULE]: [TYPES_FILE] },
    },
  });
  shared.createSourceFile(TYPES_FILE, genOtaTypesSource());
  return shared;
}

/**
 * Parses `text` as `ota.config.ts` with "gen-ota" mapped to gen-ota's own types, and checks it.
 * The returned source file is valid until the next call (the project is shared).
 */
export function checkSource(text: string): CheckedSource {
  const project = configProject();
  const sourceFile = project.createSourceFile(CONFIG_FILE, text, { overwrite: true });
  const syntax = project.getProgram().getSyntacticDiagnostics(sourceFile);
  if (syntax.length > 0) {
    const syntaxIssues = syntax.map((diagnostic) => toIssue(diagnostic, "syntax"));
    return { sourceFile, syntaxIssues, typeIssues: [] };
  }
  const typeIssues = sourceFile
    .getPreEmitDiagnostics()
    .filter((diagnostic) => diagnostic.getSourceFile()?.getFilePath() === CONFIG_FILE)
    .filter((diagnostic) => diagnostic.getCategory() !== DiagnosticCategory.Suggestion)
    .filter((diagnostic) => diagnostic.getCategory() !== DiagnosticCategory.Message)
    .map((diagnostic) => toIssue(diagnostic, "type"));
  return { sourceFile, syntaxIssues: [], typeIssues };
}

function toIssue(diagnostic: TsDiagnostic, kind: "syntax" | "type"): Issue {
  const text = ts.flattenDiagnosticMessageText(diagnostic.compilerObject.messageText, " ").replace(/\s+/g, " ").trim();
  const start = diagnostic.getStart() ?? 0;
  const span = { start, end: start + (diagnostic.getLength() ?? 0) };
  const tsCode = diagnostic.getCode();
  const message = `${kind === "syntax" ? "syntax error: " : ""}${text} (TS${tsCode})`;
  if (kind === "syntax") return error("GEN_OTA_0002", message, span);
  if (CANNOT_FIND_MODULE.has(tsCode)) {
    return error(
      "GEN_OTA_1002",
      message,
      span,
      `ota.config.ts is read on its own: import only from "${GEN_OTA_MODULE}"`,
    );
  }
  const make = diagnostic.getCategory() === DiagnosticCategory.Warning ? warning : error;
  return make("GEN_OTA_1001", message, span);
}
