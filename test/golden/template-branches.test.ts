/**
 * Every branch of the device templates is in a golden: for each `{{#if x}}`, `{{else if x}}`,
 * `{{#unless x}}` and `{{#each x}}` of a template (and of the partials it includes, where they are
 * included), some example board that generates that file reaches it (every block around it takes
 * the arm it sits in) with x true in its render model, and some reaches it with x false. So both
 * sides of each branch are rendered into a golden and compared byte for byte.
 *
 * KNOWN_GAPS lists the sides no example reaches, each with why; the test fails when one closes
 * (remove it) or a new one opens.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generateBoard } from "../../generator/generate.js";
import { packageVersion } from "../../generator/paths.js";
import { buildModel, type TemplateModel } from "../../generator/render/model.js";
import { targets } from "../../targets/index.js";
import { exampleNames, loadExample } from "./examples.js";

const TEMPLATES = "templates";
const PARTIAL = /\{\{~?>\s*([\w-]+)[^}]*\}\}/g;
const BLOCK = /\{\{~?\s*(#if|#unless|#each|else if|else|\/if|\/unless|\/each)\b\s*([^\s}~]*)[^}]*\}\}/g;

/** A condition a branch needs: the model path, and the truth it must have there. */
interface Guard {
  path: string;
  value: boolean;
}

/** One `{{#if x}}`, `{{else if x}}`, `{{#unless x}}` or `{{#each x}}`: x, and what must hold to reach it. */
interface Branch {
  path: string;
  enclosing: Guard[];
}

/**
 * Sides of nested branches no example reaches: none today (pico-kiosk and unix-rig were added to
 * reach the last three: TLS that is not checked, and updates at boot without Wi-Fi or reset).
 */
const KNOWN_GAPS: Readonly<Record<string, readonly string[]>> = {};

/** A golden board: which example and board, its render model, and the files it generates. */
interface GoldenBoard {
  name: string;
  model: TemplateModel;
  files: Set<string>;
}

function goldenBoards(): GoldenBoard[] {
  return exampleNames().flatMap((example) => {
    const config = loadExample(example);
    return config.boards.map((board) => {
      const target = targets.get(board);
      if (!target) throw new Error(`unknown board ${board}`);
      return {
        name: `${example}/${board}`,
        model: buildModel(config, target, packageVersion()),
        files: new Set(generateBoard(config, target).map((file) => file.name)),
      };
    });
  });
}

/** A template's text with each `{{> partial}}` replaced by the partial's text, transitively. */
function inlinePartials(text: string): string {
  return text.replace(PARTIAL, (_include, name: string) => inlinePartials(readFileSync(join(TEMPLATES, "partials", `${name}.hbs`), "utf8")));
}

/** The branches of a device file's template and its partials, each with the conditions around it. */
function branchesOf(file: string): Branch[] {
  const text = inlinePartials(readFileSync(join(TEMPLATES, `${file}.hbs`), "utf8"));
  /** Per open block: the guards its earlier arms failed, and the guard of the arm now open (none after else). */
  const open: { failed: Guard[]; arm: Guard | null }[] = [];
  const around = (): Guard[] => open.flatMap((block) => [...block.failed, ...(block.arm ? [block.arm] : [])]);
  const branches: Branch[] = [];
  for (const [, keyword, path] of text.matchAll(BLOCK)) {
    const block = open.at(-1);
    if (keyword === "#each") {
      open.push({ failed: [], arm: null }); // a loop, not a branch: its body is in the golden whenever the list is
    } else if (keyword === "#if" || keyword === "#unless") {
      branches.push({ path: path!, enclosing: around() });
      open.push({ failed: [], arm: { path: path!, value: keyword === "#if" } });
    } else if (keyword === "else if" || keyword === "else") {
      if (block === undefined) throw new Error(`${file}: {{${keyword}}} outside a block`);
      if (block.arm) block.failed.push({ path: block.arm.path, value: !block.arm.value });
      block.arm = null;
      if (keyword === "else if") {
        branches.push({ path: path!, enclosing: around() });
        block.arm = { path: path!, value: true };
      }
    } else {
      if (open.pop() === undefined) throw new Error(`${file}: {{${keyword}}} closes no block`);
    }
  }
  if (open.length > 0) throw new Error(`${file}: a block is never closed`);
  return branches;
}

/** A dotted path's value in the model, as `{{#if}}` reads it: Handlebars counts [] and "" and 0 as false. */
function truthy(model: TemplateModel, path: string): boolean | undefined {
  let value: unknown = model;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || !(key in value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

const deviceFiles = readdirSync(TEMPLATES)
  .filter((file) => file.endsWith(".hbs"))
  .map((file) => file.slice(0, -".hbs".length))
  .sort();
const boards = goldenBoards();

test("the templates branch on something", () => {
  expect(deviceFiles.flatMap(branchesOf).length).toBeGreaterThan(10);
});

test.each(deviceFiles)("%s: every branch of it and its partials is reached both ways by some golden, but its known gaps", (file) => {
  const rendering = boards.filter((board) => board.files.has(file));
  expect(rendering.length).toBeGreaterThan(0);
  const uncovered = branchesOf(file).flatMap(({ path, enclosing }) => {
    if (rendering.some((board) => truthy(board.model, path) === undefined)) return [`${path}: not a key of the render model`];
    const reaching = rendering.filter((board) => enclosing.every((guard) => truthy(board.model, guard.path) === guard.value));
    const where = enclosing.length === 0 ? "" : ` inside ${enclosing.map((guard) => `${guard.value ? "" : "!"}${guard.path}`).join(" && ")}`;
    return [true, false]
      .filter((side) => !reaching.some((board) => truthy(board.model, path) === side))
      .map((side) => `${path}${where} is never ${side}`);
  });
  expect([...new Set(uncovered)]).toEqual(KNOWN_GAPS[file] ?? []);
});
