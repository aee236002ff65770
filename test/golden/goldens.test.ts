/** Every example, every board it names: the generated files match the committed goldens byte for byte. */
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { targets } from "../../targets/index.js";
import { generateBoard } from "../../generator/generate.js";
import { compileMpy } from "../../generator/mpy/compile.js";
import { readMpyHeader } from "../../generator/mpy/header.js";
import { exampleNames, loadExample } from "./examples.js";
import { expectGolden, REFRESH_GOLDENS, updatingGoldens } from "./golden-file.js";

const examples = exampleNames();

test("there are examples to check", () => {
  expect(examples.length).toBeGreaterThanOrEqual(3);
});

describe.each(examples)("example %s", (example) => {
  const config = loadExample(example);

  test("no golden folder for a board the config does not name", () => {
    const goldenRoot = join("test", "golden", example);
    const committed = existsSync(goldenRoot) ? readdirSync(goldenRoot).sort() : [];
    if (updatingGoldens) {
      for (const folder of committed) if (!config.boards.includes(folder as never)) rmSync(join(goldenRoot, folder), { recursive: true, force: true });
      return;
    }
    expect(committed).toEqual([...config.boards].sort());
  });

  describe.each([...config.boards])("board %s", (board) => {
    const target = targets.get(board);
    if (!target) throw new Error(`unknown board ${board}`);
    const goldenDir = join("test", "golden", example, board);
    const files = generateBoard(config, target);

    if (updatingGoldens) {
      // files gen-ota no longer writes go; each test below writes its own
      rmSync(goldenDir, { recursive: true, force: true });
      mkdirSync(goldenDir, { recursive: true });
    }

    test("the same set of files as the golden folder", () => {
      const committed = existsSync(goldenDir) ? readdirSync(goldenDir).sort() : [];
      const generated = files.map((file) => file.name).sort();
      if (updatingGoldens) return;
      if (committed.join() !== generated.join()) {
        throw new Error(`${goldenDir} holds [${committed}] but gen-ota writes [${generated}]; if intended, run ${REFRESH_GOLDENS}`);
      }
    });

    test.each(files.map((file) => [file.name, file] as const))("%s matches its golden byte for byte", (name, file) => {
      expectGolden(join(goldenDir, name), String(file.contents));
    });

    test.each(files.filter((file) => file.name.endsWith(".py")).map((file) => [file.name, file] as const))(
      "%s has two blank lines before each top-level def and class, as a reader of Python expects",
      (name, file) => {
        const lines = String(file.contents).split("\n");
        const twoBlankLinesBefore = (i: number): boolean => {
          let above = i - 1;
          while (above >= 0 && lines[above]!.startsWith("#")) above -= 1; // a comment belongs to the def below it
          return lines[above] === "" && lines[above - 1] === "" && lines[above - 2] !== "";
        };
        const crowded = lines.flatMap((line, i) => (/^(def|class) /.test(line) && !twoBlankLinesBefore(i) ? [`${name}:${i + 1}: ${line}`] : []));
        expect(crowded).toEqual([]);
      },
    );

    test.each(files.map((file) => [file.name, file] as const))("%s compiles with mpy-cross for each ABI the board's firmware loads", async (name, file) => {
      for (const abi of target.mpy?.abis ?? [6]) {
        const compiled = await compileMpy(String(file.contents), name, { abi, arch: target.mpy?.arch });
        if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics, null, 2));
        const header = readMpyHeader(compiled.value);
        expect(header.ok && header.value.version).toBe(abi);
      }
    });
  });
});
