/**
 * Every module the updater loads for a call (ota.borrow) or drops as shared (ota._drop_shared)
 * keeps its globals where ota can empty them (`_globals = globals()`): without it, ota raises
 * AttributeError once the call is done, on the first board that takes that path.
 */
import { generateBoard } from "../../generator/generate.js";
import { targets } from "../../targets/index.js";
import { exampleNames, loadExample } from "./examples.js";

const BORROWED = /\bborrow\("(\w+)"/g;
const SHARED = /def _drop_shared\(\):[\s\S]*?for name in \(([^)]*)\)/;

const boards = exampleNames().flatMap((example) => {
  const config = loadExample(example);
  return config.boards.map((board) => ({ name: `${example}/${board}`, files: generateBoard(config, targets.get(board)!) }));
});

test.each(boards)("$name: each module ota borrows or drops as shared can be emptied", ({ files }) => {
  const text = new Map(files.map((file) => [file.name, String(file.contents)]));
  const modules = new Set<string>();
  for (const contents of text.values()) for (const match of contents.matchAll(BORROWED)) modules.add(match[1]!);
  const shared = SHARED.exec(text.get("ota.py") ?? "");
  expect(shared).not.toBeNull();
  for (const name of shared![1]!.matchAll(/"(\w+)"/g)) modules.add(name[1]!);
  expect(modules.size).toBeGreaterThan(5);
  const lacking = [...modules].filter((module) => text.has(`${module}.py`) && !/^_globals = globals\(\)/m.test(text.get(`${module}.py`)!));
  expect(lacking).toEqual([]);
});
