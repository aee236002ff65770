/** The code catalogue, the schema and the board names stay in step with the code and the targets. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Project } from "ts-morph";
import { diagnosticCodes } from "../../generator/diagnostic-codes.js";
import { packageRoot } from "../../generator/config/package-root.js";
import { targetNames } from "../../targets/index.js";
import { fixture, repoRoot } from "./helpers.js";

/** Every .ts file under a directory, recursively. */
function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("catalogue", () => {
  it("numbers codes GEN_OTA_NNNN, each with a title", () => {
    for (const [code, title] of Object.entries(diagnosticCodes)) {
      expect(code).toMatch(/^GEN_OTA_\d{4}$/);
      expect(title.length).toBeGreaterThan(5);
    }
  });

  it("has no code that gen-ota never reports", () => {
    const catalogue = join(repoRoot, "generator", "diagnostic-codes.ts");
    const files = sources(join(repoRoot, "generator")).filter((file) => file !== catalogue);
    const text = files.map((file) => readFileSync(file, "utf8")).join("\n");
    const unused = Object.keys(diagnosticCodes).filter((code) => !text.includes(`"${code}"`));
    expect(unused).toEqual([]);
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
