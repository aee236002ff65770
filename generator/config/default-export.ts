/** Finds the config object: the default export of `ota.config.ts`, read statically. */
import { Node, type SourceFile } from "ts-morph";
import { Evaluator, spanOf } from "./evaluate.js";
import { error, type Issue } from "./issue.js";
import type { StaticObject, StaticValue } from "./static-value.js";

/** The default export as a static object (absent if there is none to read), with the issues met. */
export interface ConfigEvaluation {
  config?: StaticObject;
  issues: Issue[];
}

const EXPECTED = "export default defineConfig({ ... })";

/** Reads `export default defineConfig({...})`, `export default {...}` or a default-exported const. */
export function evaluateDefaultExport(sourceFile: SourceFile): ConfigEvaluation {
  const evaluator = new Evaluator();
  const value = defaultValue(sourceFile, evaluator);
  const issues = evaluator.issues;
  if (value === undefined || value.kind === "dynamic") return { issues };
  if (value.kind !== "object") {
    issues.push(error("GEN_OTA_0003", "the default export must be the config object", value.span, `write ${EXPECTED}`));
    return { issues };
  }
  return { config: value, issues };
}

function defaultValue(sourceFile: SourceFile, evaluator: Evaluator): StaticValue | undefined {
  const assignments = sourceFile.getExportAssignments();
  const exportDefault = assignments.find((assignment) => !assignment.isExportEquals());
  if (exportDefault !== undefined) return evaluator.evaluate(exportDefault.getExpression());
  const exportEquals = assignments[0];
  if (exportEquals !== undefined) {
    evaluator.issues.push(
      error(
        "GEN_OTA_0003",
        "`export =` is not read: the config is an ES module",
        spanOf(exportEquals),
        `write ${EXPECTED}`,
      ),
    );
    return undefined;
  }
  const declaration = sourceFile.getDefaultExportSymbol()?.getDeclarations()[0];
  if (Node.isExportSpecifier(declaration)) {
    const local = declaration.getLocalTargetDeclarations()[0];
    if (local !== undefined) return evaluator.evaluateDeclaration(declaration, local);
  }
  if (declaration !== undefined) {
    evaluator.issues.push(
      error("GEN_OTA_0003", "the default export must be the config object", spanOf(declaration), `write ${EXPECTED}`),
    );
    return undefined;
  }
  evaluator.issues.push(
    error("GEN_OTA_0003", "ota.config.ts has no default export", { start: 0, end: 0 }, `end the file with ${EXPECTED}`),
  );
  return undefined;
}
