import { evaluateText, plain } from "./helpers.js";

/** Evaluates `export default <expression>` after some declarations. */
function read(expression: string, declarations = ""): { value: unknown; codes: string[] } {
  const text = `import { defineConfig, secret } from "gen-ota";\nimport * as ota from "gen-ota";\n${declarations}\nexport default ${expression};\n`;
  const { config, codes } = evaluateText(text);
  return { value: plain(config), codes };
}

describe("static evaluation", () => {
  it("reads literals of every supported kind", () => {
    const { value, codes } = read(
      "{ s: 'a', t: `b`, n: 3, neg: -4, pos: +5, yes: true, no: false, none: null, u: undefined, list: [1, 'x'], nested: { k: 1 } }",
    );
    expect(codes).toEqual([]);
    expect(value).toEqual({
      s: "a",
      t: "b",
      n: 3,
      neg: -4,
      pos: 5,
      yes: true,
      no: false,
      none: null,
      u: "<undefined>",
      list: [1, "x"],
      nested: { k: 1 },
    });
  });

  it("unwraps defineConfig, satisfies, as const, parentheses and !", () => {
    expect(read("defineConfig(({ a: 1 } as const)!)").value).toEqual({ a: 1 });
    expect(read("{ a: 1 } satisfies object").value).toEqual({ a: 1 });
  });

  it("reads secret() named directly, aliased, or through a namespace import", () => {
    const text =
      'import { secret as s } from "gen-ota";\nimport * as ota from "gen-ota";\nexport default { a: s("A"), b: ota.secret("B") };\n';
    expect(plain(evaluateText(text).config)).toEqual({ a: { secret: "A" }, b: { secret: "B" } });
    expect(read('{ c: secret("C") }').value).toEqual({ c: { secret: "C" } });
  });

  it("follows local consts, recursively, through shorthands, spreads, property reads and templates", () => {
    const declarations = [
      'const owner = "octo";',
      "const repo = `${owner}/lamp`;",
      "const base = { repo, appDir: '/p' };",
      "const boards = ['esp32'] as const;",
      "const extra = { list: [...boards, 'unix'] };",
    ].join("\n");
    const { value, codes } = read(
      "{ ...base, boards: extra.list, first: boards[0], n: -base.appDir.length }",
      declarations,
    );
    expect(codes).toEqual(["GEN_OTA_0004"]);
    expect(value).toEqual({
      repo: "octo/lamp",
      appDir: "/p",
      boards: ["esp32", "unix"],
      first: "esp32",
      n: "<dynamic>",
    });
  });

  it("lets a later key override an earlier spread one, without a duplicate-key error", () => {
    const { value, codes } = read("{ ...base, a: 2 }", "const base = { a: 1, b: 1 };");
    expect(codes).toEqual([]);
    expect(value).toEqual({ a: 2, b: 1 });
  });

  it("reports a key written twice in one literal (GEN_OTA_0105), the later one winning", () => {
    const { value, codes } = read("{ a: 1, b: 2, a: 3 }");
    expect(codes).toEqual(["GEN_OTA_0105"]);
    expect(value).toEqual({ a: 3, b: 2 });
  });

  it.each([
    ["a function call", "{ a: Date.now() }", ""],
    ["process.env", "{ a: process.env.A }", ""],
    ["a let", "{ a: x }", "let x = 1;"],
    ["an operator", "{ a: 1 + 1 }", ""],
    ["a method", "{ a() { return 1; } }", ""],
    ["an unknown spread", "{ ...Object.assign({}, {}) }", ""],
    ["a self-referencing const", "{ a: x }", "const x: unknown = x;"],
    ["an array hole", "{ a: [1, , 2] }", ""],
  ])("reports %s as not static (GEN_OTA_0004)", (_name, expression, declarations) => {
    const { codes } = read(expression, declarations);
    expect(codes).toEqual(["GEN_OTA_0004"]);
  });

  it("keeps a not-static value's key present, so it is not also reported missing", () => {
    expect(read("{ a: process.env.A }").value).toEqual({ a: "<dynamic>" });
  });

  it("reports imported values as not static", () => {
    const { config, codes } = evaluateText('import { x } from "./other";\nexport default { a: x };\n');
    expect(codes).toEqual(["GEN_OTA_0004"]);
    expect(plain(config)).toEqual({ a: "<dynamic>" });
  });

  it("finds the config however it is default-exported", () => {
    expect(plain(evaluateText("const c = { a: 1 };\nexport default c;").config)).toEqual({ a: 1 });
    expect(plain(evaluateText("const c = { a: 1 };\nexport { c as default };").config)).toEqual({ a: 1 });
  });

  it.each([
    ["no default export", "export const c = { a: 1 };"],
    ["a default function", "export default function c() { return {}; }"],
    ["a default that is no object", 'export default "config";'],
    ["defineConfig without argument", 'import { defineConfig } from "gen-ota";\nexport default defineConfig();'],
  ])("reports %s (GEN_OTA_0003)", (_name, text) => {
    const { config, codes } = evaluateText(text);
    expect(config).toBeUndefined();
    expect(codes).toEqual(["GEN_OTA_0003"]);
  });
});
