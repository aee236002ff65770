/** The `version` key: "latest", a pin, or a semver range compiled to the min/max bounds the device checks. */
import semver from "semver";
import { error, type Issue } from "./issue.js";
import type { VersionPolicy } from "./resolved.js";
import { configSchema } from "./schema.js";
import type { StaticString } from "./static-value.js";

/** A version policy, or why the text is not one. */
export type VersionParse =
  | { ok: true; policy: VersionPolicy }
  | { ok: false; code: "GEN_OTA_0206" | "GEN_OTA_0207"; message: string; hint: string };

/** The config's version policy (the schema's default when it gives none), or its problem (0206, 0207). */
export function readVersion(version: StaticString | undefined): { policy?: VersionPolicy; issues: Issue[] } {
  const parsed = parseVersion(version?.value ?? configSchema.version.default.value);
  if (parsed.ok) return { policy: parsed.policy, issues: [] };
  return { issues: [error(parsed.code, parsed.message, version?.span, parsed.hint)] };
}

const RANGE_HINT = 'use >= and < only (^1.4, ~1.4.2, 1.x, "1.2 - 1.4" compile to those), e.g. ">=1.2.0 <2.0.0"';

/** Reads a `version` value: "latest", a semver version, or a range with one lower and one upper bound. */
export function parseVersion(text: string): VersionParse {
  if (text === "latest") return { ok: true, policy: { kind: "latest" } };
  const prefixed = /^\s*[vV=]\s*(\d[^\s]*)$/.exec(text);
  if (prefixed && semver.clean(text) === null) return tagPrefixError(text, prefixed[1]!);
  const pinned = semver.valid(text);
  if (pinned !== null) return { ok: true, policy: { kind: "pin", version: pinned } };
  if (text.trim() === "" || semver.validRange(text) === null) {
    return {
      ok: false,
      code: "GEN_OTA_0206",
      message: `version "${text}" is not "latest", a semver version, or a semver range`,
      hint: 'write "latest", a pin like "1.4.2", or a range like "^1.4"',
    };
  }
  return compileRange(text);
}

function compileRange(text: string): VersionParse {
  const sets = new semver.Range(text).set;
  const comparators = sets[0] ?? [];
  if (sets.length !== 1) return rangeError(text, "it has alternatives (||)");
  const only = comparators[0];
  if (comparators.length === 1 && only !== undefined && only.operator === "" && !matchesAny(only)) {
    return { ok: true, policy: { kind: "pin", version: only.semver.version } };
  }
  let min = "0.0.0";
  let max: string | null = null;
  for (const comparator of comparators) {
    if (matchesAny(comparator)) continue;
    const bound = comparator.semver;
    if (comparator.operator === ">=" && bound.prerelease.length === 0) {
      if (semver.gt(bound.version, min)) min = bound.version;
    } else if (comparator.operator === "<" && isPlainOrZeroPrerelease(bound)) {
      const upper = `${bound.major}.${bound.minor}.${bound.patch}`;
      if (max === null || semver.lt(upper, max)) max = upper;
    } else {
      const reason =
        bound.prerelease.length > 0 ? "it names a pre-release" : `'${comparator.value}' is neither >= nor <`;
      return rangeError(text, reason);
    }
  }
  if (max !== null && semver.gte(min, max)) return rangeError(text, "it matches no version");
  return { ok: true, policy: { kind: "range", range: text, min, max } };
}

/** `*` and `x` compile to semver's ANY comparator, whose text is empty. */
function matchesAny(comparator: semver.Comparator): boolean {
  return comparator.value === "";
}

/** `<2.0.0-0` is how semver writes `<2.0.0` so that no 2.0.0 pre-release matches: it counts as `<2.0.0`. */
function isPlainOrZeroPrerelease(version: semver.SemVer): boolean {
  return version.prerelease.length === 0 || (version.prerelease.length === 1 && version.prerelease[0] === 0);
}

/**
 * "v1.2.3" is a pin whatever its prefix, but semver reads "v1.2" as the range 1.2.x: a tag
 * written where a version belongs, whose meaning (a pin or a range) is not guessed.
 */
function tagPrefixError(text: string, bare: string): VersionParse {
  const pin = semver.valid(bare) ?? semver.coerce(bare)?.version;
  return {
    ok: false,
    code: "GEN_OTA_0206",
    message: `version "${text}" starts with "${text.trim()[0]}": a version here is plain semver, and tagPrefix adds the tag's prefix`,
    hint: pin ? `write "${pin}" to pin it, or "~${bare}" for any ${bare}.x` : 'write "latest", a pin like "1.4.2", or a range like "^1.4"',
  };
}

function rangeError(text: string, reason: string): VersionParse {
  return {
    ok: false,
    code: "GEN_OTA_0207",
    message: `version range "${text}" cannot be compiled to a min and max bound: ${reason}`,
    hint: RANGE_HINT,
  };
}
