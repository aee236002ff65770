/** Every invalid fixture under test/fixtures/config/invalid/: the exact codes and where they point. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { diagnosticCodes } from "../../generator/diagnostic-codes.js";
import { formatDiagnostic, type Diagnostic } from "../../generator/diagnostics.js";
import { loadConfig } from "../../generator/config/load.js";
import { brief, fixture, repoRoot } from "./helpers.js";

interface Case {
  /** Diagnostics as "CODE line:col", warnings as "warning CODE line:col", in output order. */
  expected: string[];
}

const cases: Record<string, Case> = {
  "unknown-key": { expected: ["GEN_OTA_0102 3:29", "GEN_OTA_0101 5:3", "GEN_OTA_0101 7:3"] },
  "missing-keys": { expected: ["GEN_OTA_0102 3:29", "GEN_OTA_0102 3:29"] },
  "wrong-types": { expected: ["GEN_OTA_0103 6:11", "GEN_OTA_0103 7:15", "GEN_OTA_0103 8:14", "GEN_OTA_0103 9:9"] },
  "token-in-config": { expected: ["GEN_OTA_0103 7:10"] },
  "bad-update": { expected: ["GEN_OTA_0104 7:11"] },
  "duplicate-key": { expected: ["GEN_OTA_0105 7:3"] },
  "unknown-board": { expected: ["GEN_OTA_0201 6:21", "GEN_OTA_0201 6:29"] },
  "empty-boards": { expected: ["GEN_OTA_0202 6:11"] },
  "duplicate-board": { expected: ["GEN_OTA_0203 6:35"] },
  "bad-repo": { expected: ["GEN_OTA_0204 4:9"] },
  "bad-app-dir": { expected: ["GEN_OTA_0205 5:11"] },
  "bad-version": { expected: ["GEN_OTA_0206 7:12"] },
  "uncompilable-range": { expected: ["GEN_OTA_0207 7:12"] },
  "bad-entry": { expected: ["GEN_OTA_0208 7:10"] },
  "reserved-entry": { expected: ["GEN_OTA_0224 7:10"] },
  "bad-app-path": { expected: ["GEN_OTA_0223 6:12"] },
  "numbers-out-of-range": { expected: ["GEN_OTA_0209 7:15", "GEN_OTA_0210 8:19"] },
  "bad-trial-seconds": { expected: ["GEN_OTA_0222 7:17", "GEN_OTA_0104 8:13"] },
  "bad-tag-prefix": { expected: ["GEN_OTA_0211 7:14"] },
  "bad-endpoints": { expected: ["GEN_OTA_0212 8:13", "GEN_OTA_0213 9:14", "GEN_OTA_0214 10:11", "GEN_OTA_0213 10:11"] },
  "bad-secret-name": { expected: ["GEN_OTA_0215 7:24"] },
  "bad-secrets-file": { expected: ["GEN_OTA_0216 7:16"] },
  "embed-secrets": { expected: ["GEN_OTA_0218 8:18", "GEN_OTA_0217 8:31"] },
  "secrets-file-in-app-dir": { expected: ["GEN_OTA_0219 7:16"] },
  "unix-https": { expected: ["GEN_OTA_0302 6:21", "warning GEN_OTA_0304 7:3"] },
  "upper-case-https": { expected: ["GEN_OTA_0302 6:12"] },
  "updater-paths": { expected: ["GEN_OTA_0205 5:11", "GEN_OTA_0220 7:16"] },
  "not-static": { expected: ["GEN_OTA_0004 6:9", "GEN_OTA_0004 7:11", "GEN_OTA_0004 9:14"] },
  "syntax-error": { expected: ["GEN_OTA_0002 5:3"] },
  "no-default-export": { expected: ["GEN_OTA_0003 1:1"] },
  "type-error": { expected: ["GEN_OTA_1002 2:24", "GEN_OTA_1001 4:7"] },
};

const directory = join(repoRoot, "test", "fixtures", "config", "invalid");

function load(name: string): Diagnostic[] {
  const result = loadConfig(fixture("invalid", `${name}.ts`), { cwd: repoRoot, env: {} });
  if (result.ok) throw new Error(`${name}.ts loaded without errors`);
  return result.diagnostics;
}

describe("invalid configs", () => {
  it("has a case for every fixture, and a fixture for every case", () => {
    const files = readdirSync(directory)
      .filter((file) => file.endsWith(".ts"))
      .map((file) => file.slice(0, -3));
    expect(files.sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(Object.entries(cases))("%s", (name, { expected }) => {
    const diagnostics = load(name);
    expect(diagnostics.map(brief)).toEqual(expected);
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
