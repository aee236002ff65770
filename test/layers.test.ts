/**
 * Layers point one way: board records below everything, config validation below the report, file
 * output and the commands, and the shared flag reader below the commands that read flags.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { packageRoot } from "../generator/paths.js";

const root = packageRoot();

/** Every .ts file under `folder`, repository-relative. */
function sources(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => join(folder, file).split("\\").join("/"));
}

/** The repository-relative .ts files `file` imports (static, re-exported or dynamic), relative specifiers only. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s*)"(\.{1,2}\/[^"]+)"/gm)].map((match) => match[1]!);
  return specifiers.map((specifier) => relative(root, resolve(dirname(join(root, file)), specifier)).split("\\").join("/").replace(/\.js$/, ".ts"));
}

const edges = [...sources("generator"), ...sources("targets")].flatMap((from) => importsOf(from).map((to) => ({ from, to })));

/** The imports from files under `from` of files matching `to`, as "from -> to". */
function violations(from: string, to: RegExp): string[] {
  return edges.filter((edge) => edge.from.startsWith(from) && to.test(edge.to)).map((edge) => `${edge.from} -> ${edge.to}`);
}

describe("import direction", () => {
  it("sees the imports it checks", () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(edges).toContainEqual({ from: "generator/config/rules.ts", to: "targets/heap.ts" });
  });

  it("keeps config validation off the budget report, file output, the commands and releases", () => {
    const above = /^generator\/(budget\.ts|output\.ts|board-folder\.ts|cli\.ts|(cli|release|simulate|bundle|init|render|mpy)\/)/;
    expect(violations("generator/config/", above)).toEqual([]);
  });

  it("keeps the board records free of the generator", () => {
    expect(violations("targets/", /^generator\//)).toEqual([]);
  });

  it("lets only the gen-ota entry point import the generate command's folder", () => {
    expect(violations("generator/", /^generator\/cli\//).filter((edge) => !/^generator\/(cli\.ts|cli\/)/.test(edge))).toEqual([]);
  });

  it("keeps the shared flag reader below every command", () => {
    expect(violations("generator/flags.ts", /^generator\//)).toEqual([]);
  });
});
