/**
 * The code catalogue, the schema and the board names stay in step with the code and the targets.
 * Both directions of the catalogue: every code generator/ names is in it, and every code in it is
 * reported somewhere a test checks: a config fixture's baseline, or a test named below.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Project } from "ts-morph";
import { diagnosticCodes } from "../../generator/diagnostic-codes.js";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { packageRoot } from "../../generator/config/package-root.js";
import { targetNames } from "../../targets/index.js";
import { baselineNames, baselineOf, fixture, repoRoot } from "./helpers.js";

/** Every .ts file under a directory, recursively. */
function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

const CODE = /GEN_OTA_\d{4}/g;
const catalogued = new Set<string>(Object.keys(diagnosticCodes));

/** The codes at the head of each diagnostic in the config fixtures' baselines (baselines.test.ts keeps them true). */
function codesInBaselines(): Set<string> {
  const codes = new Set<string>();
  for (const kind of ["invalid", "valid"] as const) {
    for (const name of baselineNames(kind)) {
      const text = readFileSync(baselineOf(kind, name), "utf8");
      for (const match of text.matchAll(/^(?:\S+:\d+:\d+ )?(?:warning )?(GEN_OTA_\d{4}) /gm)) codes.add(match[1]!);
    }
  }
  return codes;
}

/**
 * Codes no config fixture can report, each with the test that reports it by running the command
 * or function and asserting the code (the file must name it literally).
 */
const REPORTED_BY_TESTS: Readonly<Record<string, string>> = {
  GEN_OTA_0001: "test/config/invalid-configs.test.ts", // a config file that is not there
  GEN_OTA_0305: "test/config/heap-budget.test.ts", // no real board is over budget on the committed figures
  GEN_OTA_0601: "test/mpy/compile.test.ts",
  GEN_OTA_0602: "test/mpy/compile.test.ts",
  GEN_OTA_0603: "test/mpy/compile.test.ts",
  GEN_OTA_0604: "test/mpy/header.test.ts",
  GEN_OTA_0605: "test/mpy/cli.test.ts",
  GEN_OTA_0606: "test/mpy/cli.test.ts",
  GEN_OTA_0701: "test/release/build.test.ts",
  GEN_OTA_0702: "test/release/build.test.ts",
  GEN_OTA_0703: "test/release/build.test.ts",
  GEN_OTA_0704: "test/release/build.test.ts",
  GEN_OTA_0705: "test/release/build.test.ts",
  GEN_OTA_0706: "test/release/build.test.ts",
  GEN_OTA_0707: "test/release/command.test.ts",
  GEN_OTA_0708: "test/release/command.test.ts",
  GEN_OTA_0709: "test/release/sign.test.ts",
  GEN_OTA_0710: "test/release/git.test.ts",
  GEN_OTA_0711: "test/release/git.test.ts",
  GEN_OTA_0712: "test/release/git.test.ts",
  GEN_OTA_0713: "test/release/git.test.ts",
  GEN_OTA_0714: "test/release/git.test.ts",
  GEN_OTA_0715: "test/release/build.test.ts",
  GEN_OTA_0801: "test/simulate/simulate.test.ts",
  GEN_OTA_0802: "test/simulate/simulate.test.ts",
  GEN_OTA_0803: "test/simulate/simulate.test.ts",
  GEN_OTA_0804: "test/simulate/simulate.test.ts",
  GEN_OTA_0901: "test/cli/cli.test.ts",
  GEN_OTA_0902: "test/cli/cli.test.ts",
  GEN_OTA_0903: "test/cli/cli.test.ts", // no board in targets/ lacks .mpy: a made-up one
  GEN_OTA_0904: "test/cli/cli.test.ts",
  GEN_OTA_0905: "test/cli/bundle.test.ts",
  GEN_OTA_0906: "test/cli/init.test.ts",
  GEN_OTA_0911: "test/release/sign.test.ts",
  GEN_OTA_0912: "test/release/sign.test.ts",
  GEN_OTA_0913: "test/release/sign.test.ts",
};

describe("catalogue", () => {
  it("numbers codes GEN_OTA_NNNN, each with a title", () => {
    for (const [code, title] of Object.entries(diagnosticCodes)) {
      expect(code).toMatch(/^GEN_OTA_\d{4}$/);
      expect(title.length).toBeGreaterThan(5);
    }
  });

  it("holds every code generator/ names", () => {
    const catalogue = join(repoRoot, "generator", "diagnostic-codes.ts");
    const named = sources(join(repoRoot, "generator"))
      .filter((file) => file !== catalogue)
      .flatMap((file) => [...readFileSync(file, "utf8").matchAll(CODE)].map((match) => `${match[0]} in ${file.slice(repoRoot.length + 1)}`));
    expect(named.length).toBeGreaterThan(50);
    expect(named.filter((use) => !catalogued.has(use.split(" ")[0]!))).toEqual([]);
  });

  it("has no code that no fixture's baseline or named test reports", () => {
    const reported = new Set([...codesInBaselines(), ...Object.keys(REPORTED_BY_TESTS)]);
    expect([...catalogued].filter((code) => !reported.has(code))).toEqual([]);
  });

  it("names, for each code no baseline holds, a test that asserts it", () => {
    const inBaselines = codesInBaselines();
    for (const [code, file] of Object.entries(REPORTED_BY_TESTS)) {
      expect({ code, catalogued: catalogued.has(code), alsoInABaseline: inBaselines.has(code) }).toEqual({ code, catalogued: true, alsoInABaseline: false });
      expect({ code, file, named: readFileSync(join(repoRoot, file), "utf8").includes(code) }).toEqual({ code, file, named: true });
    }
  });

  it("refuses an uncatalogued code at compile time", () => {
    // @ts-expect-error GEN_OTA_0999 is not in the catalogue: tsc -p tsconfig.test.json fails if this compiles
    const uncatalogued: Diagnostic = { code: "GEN_OTA_0999", severity: "error", message: "never" };
    expect(catalogued.has(uncatalogued.code)).toBe(false);
  });
});

describe("BoardName", () => {
  it("names exactly the boards of targets/", () => {
    const project = new Project({ useInMemoryFileSystem: true });
    const types = project.createSourceFile(
      "types.ts",
      readFileSync(join(repoRoot, "generator", "config", "types.ts"), "utf8"),
    );
    const names = types
      .getTypeAliasOrThrow("BoardName")
      .getType()
      .getUnionTypes()
      .map((type) => type.getLiteralValue());
    expect(names.sort()).toEqual([...targetNames].sort());
  });
});

describe("package root", () => {
  it("is found from the sources", () => {
    expect(packageRoot()).toBe(repoRoot);
  });

  it("is found from the compiled dist/ too: a load runs from dist/generator/config/load.js", () => {
    const compiled = join(repoRoot, "dist", "generator", "config", "load.js");
    if (!existsSync(compiled)) throw new Error("dist/ is missing: run npm run build before the tests");
    const script = [
      `import { loadConfig } from ${JSON.stringify(pathToFileURL(compiled).href)};`,
      `const result = loadConfig(${JSON.stringify(fixture("valid", "minimal.ts"))}, { env: {} });`,
      "process.stdout.write(JSON.stringify(result.ok ? result.value.boards : result.diagnostics));",
    ].join("\n");
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    expect(JSON.parse(output)).toEqual(["esp32"]);
  });
});
