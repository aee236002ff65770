/**
 * Every invalid fixture under test/fixtures/config/invalid/ fails to load, and each diagnostic is
 * one a user can act on: catalogued, placed on the fixture's own line, with a hint, no stack trace.
 * Which codes and where they point is the fixture's baseline (baselines.test.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { diagnosticCodes } from "../../generator/diagnostic-codes.js";
import { formatDiagnostic, type Diagnostic } from "../../generator/diagnostics.js";
import { loadConfig } from "../../generator/config/load.js";
import { fixture, fixtureNames, loadFixture, repoRoot } from "./helpers.js";

const directory = join(repoRoot, "test", "fixtures", "config", "invalid");

function load(name: string): Diagnostic[] {
  const result = loadFixture("invalid", name);
  if (result.ok) throw new Error(`${name}.ts loaded without errors`);
  return result.diagnostics;
}

describe("invalid configs", () => {
  it.each(fixtureNames("invalid"))("%s", (name) => {
    const diagnostics = load(name);
    const lines = readFileSync(join(directory, `${name}.ts`), "utf8").split("\n");
    for (const diagnostic of diagnostics) {
      expect(Object.keys(diagnosticCodes)).toContain(diagnostic.code);
      const location = diagnostic.location;
      expect(location?.file).toBe(fixture("invalid", `${name}.ts`));
      if (location !== undefined) expect(location.lineText).toBe(lines[location.line - 1]);
      if (!diagnostic.code.startsWith("GEN_OTA_1") && diagnostic.code !== "GEN_OTA_0002")
        expect(diagnostic.hint).toBeTruthy();
      const text = formatDiagnostic(diagnostic);
      expect(text).not.toMatch(/^\s+at .+[:(]\d+/m);
      expect(text).not.toMatch(/\b(TypeError|ReferenceError|Error):/);
    }
  });

  it("reports a missing file without a location, naming the path", () => {
    const result = loadConfig("does/not/exist.ts", { cwd: repoRoot });
    expect(result).toEqual({
      ok: false,
      diagnostics: [
        expect.objectContaining({ code: "GEN_OTA_0001", message: "config file not found: does/not/exist.ts" }),
      ],
    });
    if (!result.ok) expect(result.diagnostics[0]?.location).toBeUndefined();
  });

  it("reports a directory given as the config as unreadable", () => {
    const result = loadConfig("test", { cwd: repoRoot });
    expect(!result.ok && result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(["GEN_OTA_0001"]);
  });
});
