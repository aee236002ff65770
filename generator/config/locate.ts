/** Turns offsets in the config text into the line, column and caret of a diagnostic. */
import type { Diagnostic, SourceLocation } from "../diagnostics.js";
import type { Issue, Span } from "./issue.js";

/** The 1-based location of `span` in `text`, with its line and a caret clipped to that line. */
export function locate(text: string, file: string, span: Span): SourceLocation {
  const start = Math.max(0, Math.min(span.start, text.length));
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const newline = text.indexOf("\n", start);
  const lineEnd = newline === -1 ? text.length : newline;
  const lineText = text.slice(lineStart, lineEnd).replace(/\r$/, "");
  const line = countNewlines(text, lineStart) + 1;
  const column = start - lineStart + 1;
  const visibleEnd = Math.min(span.end, lineStart + lineText.length);
  return { file, line, column, lineText, length: Math.max(1, visibleEnd - start) };
}

/** The diagnostic of an issue, located in `text` when the issue has a span. */
export function toDiagnostic(issue: Issue, text: string, file: string): Diagnostic {
  const diagnostic: Diagnostic = { code: issue.code, severity: issue.severity, message: issue.message };
  if (issue.hint !== undefined) diagnostic.hint = issue.hint;
  if (issue.span !== undefined) diagnostic.location = locate(text, file, issue.span);
  return diagnostic;
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let index = text.indexOf("\n"); index !== -1 && index < end; index = text.indexOf("\n", index + 1)) count++;
  return count;
}
