/**
 * The schema is the one record of each key's facts: the JSDoc of types.ts says each default and
 * range as the schema has them, and the string unions there are the schema's options.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Project, type InterfaceDeclaration } from "ts-morph";
import { configSchema, defaultText, rangeText, type FieldSpec } from "../../generator/config/schema.js";
import { repoRoot } from "./helpers.js";

const types = new Project({ useInMemoryFileSystem: true }).createSourceFile(
  "types.ts",
  readFileSync(join(repoRoot, "generator", "config", "types.ts"), "utf8"),
);

/** Each interface of types.ts with the schema fields it declares. */
const declared: [InterfaceDeclaration, Readonly<Record<string, FieldSpec>>][] = [
  [types.getInterfaceOrThrow("OtaConfig"), configSchema],
  [types.getInterfaceOrThrow("Endpoints"), configSchema.endpoints.type.fields],
  [types.getInterfaceOrThrow("Signing"), configSchema.signing.type.fields],
];

const keys = declared.flatMap(([declaration, fields]) =>
  Object.entries(fields).map(([key, spec]) => {
    const property = declaration.getPropertyOrThrow(key);
    const jsDoc = property.getJsDocs().map((doc) => doc.getDescription()).join("\n").replace(/\s*\n\s*\*?\s*/g, " ");
    return { name: `${declaration.getName()}.${key}`, spec, property, jsDoc };
  }),
);

describe("types.ts against the schema", () => {
  it.each(keys.map((key) => [key.name, key] as const))("%s's JSDoc says its default and range", (_, { spec, jsDoc }) => {
    if (spec.default !== undefined) expect(jsDoc).toContain(`Default ${defaultText(spec.default)}`);
    else expect(jsDoc).not.toMatch(/\bdefault\b/i);
    if (spec.range !== undefined) expect(jsDoc).toContain(rangeText(spec.range));
  });

  it.each(keys.map((key) => [key.name, key] as const))("%s is optional exactly where the schema says", (_, { spec, property }) => {
    expect(property.hasQuestionToken()).toBe(spec.required !== true);
  });

  it("has the schema's options as its string unions", () => {
    for (const { spec, property } of keys) {
      if (spec.type.kind !== "string" || spec.type.oneOf === undefined) continue;
      const union = property.getType().getNonNullableType().getUnionTypes().map((type) => type.getLiteralValue());
      expect(union.sort()).toEqual([...spec.type.oneOf].sort());
    }
  });
});
