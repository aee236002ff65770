/** Every example, every board it names: the generated files match the committed goldens byte for byte. */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { targets } from "../../targets/index.js";
import { loadConfig } from "../../generator/config/load.js";
import { generateBoard } from "../../generator/generate.js";
import { compileMpy } from "../../generator/mpy/compile.js";
import { readMpyHeader } from "../../generator/mpy/header.js";

const REFRESH = "npm run goldens:update";
const updating = process.env.GEN_OTA_UPDATE_GOLDENS === "1";
const examples = readdirSync("examples", { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join("examples", entry.name, "ota.config.ts")))
  .map((entry) => entry.name)
  .sort();

test("there are examples to check", () => {
  expect(examples.length).toBeGreaterThanOrEqual(2);
});

describe.each(examples)("example %s", (example) => {
  const loaded = loadConfig(join("examples", example, "ota.config.ts"), { env: {} });
  if (!loaded.ok) throw new Error(`examples/${example}/ota.config.ts does not load: ${JSON.stringify(loaded.diagnostics)}`);
  const config = loaded.value;

  test("no golden folder for a board the config does not name", () => {
    const goldenRoot = join("test", "golden", example);
    const committed = existsSync(goldenRoot) ? readdirSync(goldenRoot).sort() : [];
    if (updating) return;
    expect(committed).toEqual([...config.boards].sort());
  });

  describe.each([...config.boards])("board %s", (board) => {
    const target = targets.get(board);
    if (!target) throw new Error(`unknown board ${board}`);
    const goldenDir = join("test", "golden", example, board);
    const files = generateBoard(config, target);

    if (updating) {
      rmSync(goldenDir, { recursive: true, force: true });
      mkdirSync(goldenDir, { recursive: true });
      for (const file of files) writeFileSync(join(goldenDir, file.name), file.contents);
    }

    test("the same set of files as the golden folder", () => {
      const committed = existsSync(goldenDir) ? readdirSync(goldenDir).sort() : [];
      const generated = files.map((file) => file.name).sort();
      if (committed.join() !== generated.join()) {
        throw new Error(`${goldenDir} holds [${committed}] but gen-ota writes [${generated}]; if intended, run ${REFRESH}`);
      }
    });

    test.each(files.map((file) => [file.name, file] as const))("%s matches its golden byte for byte", (name, file) => {
      const path = join(goldenDir, name);
      const expected = existsSync(path) ? readFileSync(path, "utf8") : "(missing)";
      if (expected !== file.contents) {
        throw new Error(`${path} differs from what gen-ota generates; review the diff, then run ${REFRESH}\n${firstDifference(expected, String(file.contents))}`);
      }
    });

    test.each(files.map((file) => [file.name, file] as const))("%s compiles with mpy-cross for its ABI", async (name, file) => {
      const abi = target.mpy?.abi ?? 6;
      const compiled = await compileMpy(String(file.contents), name, { abi, arch: target.mpy?.arch });
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics, null, 2));
      const header = readMpyHeader(compiled.value);
      expect(header.ok && header.value.version).toBe(abi);
    });
  });
});

function firstDifference(expected: string, actual: string): string {
  const expectedLines = expected.split("\n");
  const actualLines = actual.split("\n");
  for (let index = 0; index < Math.max(expectedLines.length, actualLines.length); index++) {
    if (expectedLines[index] !== actualLines[index]) {
      return `first difference at line ${index + 1}:\n- ${expectedLines[index] ?? "(end)"}\n+ ${actualLines[index] ?? "(end)"}`;
    }
  }
  return "";
}
