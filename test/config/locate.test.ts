import { locate, toDiagnostic } from "../../generator/config/locate.js";
import { error } from "../../generator/config/issue.js";

describe("locate", () => {
  const text = 'first line\r\n  second: "value",\r\nthird';

  it("gives 1-based line and column, the line without its CR, and the caret length", () => {
    const start = text.indexOf('"value"');
    expect(locate(text, "ota.config.ts", { start, end: start + 7 })).toEqual({
      file: "ota.config.ts",
      line: 2,
      column: 11,
      lineText: '  second: "value",',
      length: 7,
    });
  });

  it("clips a span that runs past its line, and gives empty spans one caret", () => {
    expect(locate(text, "f", { start: 0, end: text.length }).length).toBe("first line".length);
    expect(locate(text, "f", { start: 0, end: 0 })).toMatchObject({ line: 1, column: 1, length: 1 });
  });

  it("places the last line", () => {
    expect(locate(text, "f", { start: text.length - 1, end: text.length })).toMatchObject({ line: 3, column: 5 });
  });

  it("turns an issue into a diagnostic", () => {
    const issue = error("GEN_OTA_0201", "unknown board 'esp3'", { start: 0, end: 5 }, "did you mean 'esp32'?");
    expect(toDiagnostic(issue, text, "f")).toEqual({
      code: "GEN_OTA_0201",
      severity: "error",
      message: "unknown board 'esp3'",
      hint: "did you mean 'esp32'?",
      location: { file: "f", line: 1, column: 1, lineText: "first line", length: 5 },
    });
  });
});
