/** Turns mpy-cross's stderr (a MicroPython traceback) into a diagnostic at file:line. */

import type { Diagnostic } from "../diagnostics.js";
import { MpyCode } from "./codes.js";

/** `  File "ota.py", line 2` or `  File "ota.py", line 1, in <module>`; a column if a build adds one. */
const FRAME = /^\s*File "(?<file>[^"]*)", line (?<line>\d+)(?:, column (?<column>\d+))?/;
/** A string literal with an f prefix (f"", rf'', Fr""...). */
const F_STRING = /(?:^|[^\w])(?:[fF][rR]?|[rR][fF])["']/;

/** What the ABI-5 compiler rejects that later firmware accepts, as a hint for one source line. */
function abi5Hint(lineText: string | undefined): string | undefined {
  if (lineText !== undefined && F_STRING.test(lineText)) {
    return "mpy ABI 5 (MicroPython 1.12-1.18) has no f-strings: use '%' formatting or str.format()";
  }
  return undefined;
}

/** Builds the diagnostic for a failed compile of `source`, shown as `fileName`. */
export function tracebackDiagnostic(
  err: readonly string[],
  source: string,
  fileName: string,
  abi: 5 | 6,
): Diagnostic {
  const lines = err.map((line) => line.trimEnd()).filter((line) => line.length > 0);
  let frame: RegExpExecArray | null = null;
  for (const line of lines) frame = FRAME.exec(line) ?? frame;
  const message = lines.at(-1) ?? "mpy-cross failed without a message";
  if (frame?.groups === undefined || !/^\w*(Error|Exception)\b/.test(message)) {
    return {
      code: MpyCode.toolFailure,
      severity: "error",
      message: `mpy-cross failed on ${fileName}: ${lines.join(" / ") || "no output"}`,
    };
  }
  const line = Number(frame.groups["line"]);
  const lineText = source.split(/\r?\n/)[line - 1];
  const given = frame.groups["column"];
  // MicroPython names a line, not a column: underline the statement on it.
  const indent = lineText === undefined ? 0 : lineText.length - lineText.trimStart().length;
  const column = given !== undefined ? Number(given) : indent + 1;
  const length = given !== undefined || lineText === undefined ? 1 : Math.max(1, lineText.trim().length);
  const hint = abi === 5 ? abi5Hint(lineText) : undefined;
  return {
    code: MpyCode.compileError,
    severity: "error",
    message,
    ...(hint === undefined ? {} : { hint }),
    location: { file: fileName, line, column, ...(lineText === undefined ? {} : { lineText }), length },
  };
}
