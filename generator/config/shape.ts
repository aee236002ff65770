/** Checks the config's keys against the schema: unknown, missing, and wrongly typed keys (01xx). */
import { error, type Issue, type Span } from "./issue.js";
import { describeField, type FieldSpec, type FieldType } from "./schema.js";
import { describeKind, type StaticObject, type StaticValue } from "./static-value.js";
import { didYouMean } from "./suggest.js";

/** Every key problem of `object` against `fields`, nested objects included; `path` prefixes key names. */
export function checkShape(object: StaticObject, fields: Readonly<Record<string, FieldSpec>>, path = ""): Issue[] {
  const issues: Issue[] = [];
  const known = Object.keys(fields);
  for (const entry of object.properties) {
    const spec = fields[entry.key];
    const name = path + entry.key;
    if (spec === undefined) {
      const hint =
        didYouMean(entry.key, known) ??
        `valid keys${path === "" ? "" : ` of ${path.slice(0, -1)}`}: ${known.join(", ")}`;
      issues.push(error("GEN_OTA_0101", `unknown key '${name}'`, entry.keySpan, hint, entry.span));
      continue;
    }
    if (entry.value.kind === "undefined" && spec.required !== true) continue;
    issues.push(...checkType(entry.value, spec, name, entry.span));
  }
  if (!object.open) {
    for (const [key, spec] of Object.entries(fields)) {
      if (spec.required !== true || object.properties.some((entry) => entry.key === key)) continue;
      const hint = `add ${key}: ${describeField(spec)}`;
      issues.push(error("GEN_OTA_0102", `missing required key '${path + key}'`, object.span, hint, wrapperOf(object)));
    }
  }
  return issues;
}

/**
 * What TypeScript blames for a missing key besides the object itself: the text around its braces
 * (`satisfies OtaConfig`, or all of `cfg satisfies OtaConfig` for a const), never its properties.
 */
function wrapperOf(object: StaticObject): Span[] {
  const { span, extent = span } = object;
  return [
    { start: extent.start, end: span.start + 1 },
    { start: span.end - 1, end: extent.end },
  ];
}

function checkType(value: StaticValue, spec: FieldSpec, name: string, cover: Span): Issue[] {
  if (value.kind === "dynamic") return [];
  const type = spec.type;
  if (!fits(value, type)) {
    const message = `'${name}' must be ${expected(type)}, not ${describeKind(value)}`;
    return [error("GEN_OTA_0103", message, value.span, typeHint(value, spec, name), cover)];
  }
  if (
    type.kind === "string" &&
    type.oneOf !== undefined &&
    value.kind === "string" &&
    !type.oneOf.includes(value.value)
  ) {
    const allowed = type.oneOf.map((option) => `"${option}"`).join(" or ");
    const message = `'${name}' must be ${allowed}, not "${value.value}"`;
    return [error("GEN_OTA_0104", message, value.span, didYouMean(value.value, type.oneOf) ?? describeField(spec), cover)];
  }
  if (type.kind === "string-list" && value.kind === "array") {
    return value.items
      .filter((item) => item.kind !== "string" && item.kind !== "dynamic")
      .map((item) =>
        error(
          "GEN_OTA_0103",
          `'${name}' entries must be strings, not ${describeKind(item)}`,
          item.span,
          describeField(spec),
        ),
      );
  }
  if (type.kind === "object" && value.kind === "object") return checkShape(value, type.fields, `${name}.`);
  return [];
}

function fits(value: StaticValue, type: FieldType): boolean {
  switch (type.kind) {
    case "string":
      return value.kind === "string";
    case "number":
      return value.kind === "number";
    case "boolean":
      return value.kind === "boolean";
    case "string-list":
      return value.kind === "array";
    case "secret":
      return value.kind === "secret";
    case "device-string":
      return value.kind === "string" || value.kind === "secret";
    case "object":
      return value.kind === "object";
  }
}

function expected(type: FieldType): string {
  switch (type.kind) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "string-list":
      return "a list of strings";
    case "secret":
      return 'secret("NAME")';
    case "device-string":
      return 'a string or secret("NAME")';
    case "object":
      return `an object with ${Object.keys(type.fields).join(", ")}`;
  }
}

function typeHint(value: StaticValue, spec: FieldSpec, name: string): string {
  if (spec.type.kind === "secret" && value.kind === "string") {
    return `keep it out of the config: write secret("GITHUB_TOKEN") and put the value in the device's secrets file`;
  }
  if (
    spec.type.kind === "number" &&
    value.kind === "string" &&
    value.value.trim() !== "" &&
    !Number.isNaN(Number(value.value))
  ) {
    return `drop the quotes: ${name.split(".").pop() ?? name}: ${Number(value.value)}`;
  }
  return `${name}: ${describeField(spec)}`;
}
