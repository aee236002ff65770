/** The config as data: what static evaluation of `ota.config.ts` yields, each value with its span. */
import type { Span } from "./issue.js";

/** A value read from the config's source, without running it. */
export type StaticValue =
  | StaticString
  | StaticNumber
  | StaticBoolean
  | StaticNull
  | StaticUndefined
  | StaticArray
  | StaticObject
  | StaticSecret
  | StaticDynamic;

interface Spanned {
  /** The expression that gave this value, where the config uses it. */
  span: Span;
}

/** A string literal, or a template of static parts. */
export interface StaticString extends Spanned {
  kind: "string";
  value: string;
}

/** A number, sign included. */
export interface StaticNumber extends Spanned {
  kind: "number";
  value: number;
}

/** `true` or `false`. */
export interface StaticBoolean extends Spanned {
  kind: "boolean";
  value: boolean;
}

/** `null`. */
export interface StaticNull extends Spanned {
  kind: "null";
}

/** `undefined`: an optional key set to it counts as absent. */
export interface StaticUndefined extends Spanned {
  kind: "undefined";
}

/** A list; spreads of static lists are flattened in. */
export interface StaticArray extends Spanned {
  kind: "array";
  items: StaticValue[];
}

/** One `key: value` of an object literal. */
export interface StaticProperty {
  key: string;
  /** The property's name. */
  keySpan: Span;
  /** The whole `key: value`. */
  span: Span;
  value: StaticValue;
}

/** An object literal; spreads of static objects are merged in. */
export interface StaticObject extends Spanned {
  kind: "object";
  /** In source order; a later property of the same key has replaced the earlier one. */
  properties: StaticProperty[];
  /** A spread could not be read, so keys may be missing that are really there. */
  open: boolean;
  /** The expression around the object where it is used, wrappers included: `{...} satisfies OtaConfig`. */
  extent?: Span;
}

/** `secret("NAME")`. */
export interface StaticSecret extends Spanned {
  kind: "secret";
  name: string;
  /** The name's string literal. */
  nameSpan: Span;
}

/** A value that could not be read statically; already reported, never reported again. */
export interface StaticDynamic extends Spanned {
  kind: "dynamic";
}

/** The value as used at `span` (a reference to a const, a property read): same value, new place. */
export function respan(value: StaticValue, span: Span): StaticValue {
  return value.kind === "object" ? { ...value, span, extent: span } : { ...value, span };
}

/** The property `key` of an object, treating `undefined` as absent. */
export function property(object: StaticObject, key: string): StaticProperty | undefined {
  const found = object.properties.find((candidate) => candidate.key === key);
  return found === undefined || found.value.kind === "undefined" ? undefined : found;
}

/** How a value's kind reads in a message: "a string", "secret(...)". */
export function describeKind(value: StaticValue): string {
  switch (value.kind) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "null":
      return "null";
    case "undefined":
      return "undefined";
    case "array":
      return "a list";
    case "object":
      return "an object";
    case "secret":
      return "secret(...)";
    case "dynamic":
      return "a computed value";
  }
}

/** The value of `key` if it has the given kind; wrong kinds are the shape check's to report. */
export function valueOf<K extends StaticValue["kind"]>(
  object: StaticObject | undefined,
  key: string,
  kind: K,
): Extract<StaticValue, { kind: K }> | undefined {
  const value = object === undefined ? undefined : property(object, key)?.value;
  return value?.kind === kind ? (value as Extract<StaticValue, { kind: K }>) : undefined;
}

/** The items of a list of strings, skipping items of other kinds. */
export function stringItems(list: StaticArray | undefined): StaticString[] {
  return (list?.items ?? []).filter((item): item is StaticString => item.kind === "string");
}

/** Every `secret(...)` in a value, depth first, in source order. */
export function secretsIn(value: StaticValue): StaticSecret[] {
  if (value.kind === "secret") return [value];
  if (value.kind === "array") return value.items.flatMap(secretsIn);
  if (value.kind === "object") return value.properties.flatMap((entry) => secretsIn(entry.value));
  return [];
}
