/** Problems found in a config before they are placed in the file: a code, words, and a span. */
import type { DiagnosticCode } from "../diagnostic-codes.js";
import type { Severity } from "../diagnostics.js";

/** A half-open range of character offsets [start, end) in the config file's text. */
export interface Span {
  start: number;
  end: number;
}

/** A diagnostic not yet located: offsets instead of line and column. */
export interface Issue {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  hint?: string;
  /** Where the caret goes; none for problems of the file as a whole. */
  span?: Span;
  /** The source this issue speaks for: TypeScript diagnostics inside any of these spans are redundant. */
  cover?: Span[];
}

/** An error issue; `cover` defaults to `span`. */
export function error(code: DiagnosticCode, message: string, span?: Span, hint?: string, cover?: Span | Span[]): Issue {
  return makeIssue("error", code, message, span, hint, cover);
}

/** A warning issue; `cover` defaults to `span`. */
export function warning(
  code: DiagnosticCode,
  message: string,
  span?: Span,
  hint?: string,
  cover?: Span | Span[],
): Issue {
  return makeIssue("warning", code, message, span, hint, cover);
}

function makeIssue(
  severity: Severity,
  code: DiagnosticCode,
  message: string,
  span: Span | undefined,
  hint: string | undefined,
  cover: Span | Span[] | undefined,
): Issue {
  const issue: Issue = { code, severity, message };
  if (hint !== undefined) issue.hint = hint;
  if (span !== undefined) issue.span = span;
  const covered = cover ?? span;
  if (covered !== undefined) issue.cover = Array.isArray(covered) ? covered : [covered];
  return issue;
}

/** True when any issue is an error. */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.severity === "error");
}
