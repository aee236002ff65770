/** The README's config reference table, markdown, generated from the schema: one row per key, nested keys after their object. */
import { configSchema, defaultText, rangeText, type FieldSpec, type FieldType } from "../../generator/config/schema.js";

/** Where the generated table sits in README.md; the text around it is written by hand. */
export const TABLE_START = "<!-- config-table:start: generated from generator/config/schema.ts by npm run goldens:update -->";
export const TABLE_END = "<!-- config-table:end -->";

/** The table's lines, header first. */
export function configTable(): string[] {
  return ["| key | type | default | meaning |", "| --- | --- | --- | --- |", ...rows(configSchema, "")];
}

function rows(fields: Readonly<Record<string, FieldSpec>>, prefix: string): string[] {
  return Object.entries(fields).flatMap(([key, spec]) => [
    `| \`${prefix}${key}\` | ${cell(spec.shape ?? shapeOf(spec.type, spec))} | ${cell(defaultCell(spec))} | ${cell(spec.doc ?? spec.summary)} |`,
    ...(spec.type.kind === "object" ? rows(spec.type.fields, `${prefix}${key}.`) : []),
  ]);
}

function shapeOf(type: FieldType, spec: FieldSpec): string {
  switch (type.kind) {
    case "string":
      return type.oneOf === undefined ? "string" : type.oneOf.map((option) => `\`"${option}"\``).join(" or ");
    case "number":
      return spec.range === undefined ? "number" : rangeText(spec.range);
    case "boolean":
      return "boolean";
    case "string-list":
      return "strings";
    case "secret":
      return "`secret()`";
    case "device-string":
      return "string or `secret()`";
    case "object":
      return `\`{ ${Object.entries(type.fields).map(([key, field]) => `${key}${field.required === true ? "" : "?"}`).join(", ")} }\``;
  }
}

function defaultCell(spec: FieldSpec): string {
  if (spec.required !== false) return "required";
  if (spec.default === undefined) return "none";
  return "value" in spec.default ? `\`${defaultText(spec.default)}\`` : defaultText(spec.default);
}

/** A table cell: a pipe would end it. */
function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}
