/** Errors as values: a code from the catalogue, a message, a hint, and where the user can fix it. */
import type { DiagnosticCode } from "./diagnostic-codes.js";

export interface SourceLocation {
  /** Path as the user gave it (relative to the working directory where possible). */
  file: string;
  /** 1-based line and column. */
  line: number;
  column: number;
  /** The source line itself, shown under the message with a caret. */
  lineText?: string;
  /** Characters the caret underlines (at least 1). */
  length?: number;
}

export type Severity = "error" | "warning";

export interface Diagnostic {
  /** e.g. "GEN_OTA_0102": only codes of the catalogue, generator/diagnostic-codes.ts, compile. */
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** How to fix it: "did you mean 'esp32'?". */
  hint?: string;
  location?: SourceLocation;
}

/** A result that is either a value or every problem found on the way. */
export type Result<T> = { ok: true; value: T; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export function ok<T>(value: T, warnings: Diagnostic[] = []): Result<T> {
  return { ok: true, value, warnings };
}

export function fail<T>(diagnostics: Diagnostic[]): Result<T> {
  return { ok: false, diagnostics };
}

/** Formats like tsc: `file:line:col GEN_OTA_NNNN message`, the line, a caret, then the hint. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = diagnostic.location
    ? `${diagnostic.location.file}:${diagnostic.location.line}:${diagnostic.location.column} `
    : "";
  const label = diagnostic.severity === "warning" ? "warning " : "";
  const lines = [`${where}${label}${diagnostic.code} ${diagnostic.message}`];
  const location = diagnostic.location;
  if (location?.lineText !== undefined) {
    const gutter = `${location.line} | `;
    lines.push(`  ${gutter}${location.lineText}`);
    const caret = "^".repeat(Math.max(1, location.length ?? 1));
    lines.push(`  ${" ".repeat(gutter.length + location.column - 1)}${caret}`);
  }
  if (diagnostic.hint) lines.push(`  hint: ${diagnostic.hint}`);
  return lines.join("\n");
}

/** Exit codes, told apart: 0 fine, 1 stale output in --check, 2 user error, 3 internal bug. */
export const ExitCode = { ok: 0, stale: 1, userError: 2, internal: 3 } as const;
