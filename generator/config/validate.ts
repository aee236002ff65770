/**
 * Validates a statically read config: keys, values, secrets and the cross-field rules, all problems
 * at once; and keeps what it had to read to check them (the version policy, the endpoints, the
 * signing keys), so that resolution reads none of them again.
 */
import { measuredHeap } from "../../targets/heap.js";
import type { Target } from "../../targets/index.js";
import { checkEndpoints, effectiveEndpoints, type EffectiveEndpoint } from "./endpoints.js";
import type { Issue } from "./issue.js";
import type { VersionPolicy } from "./resolved.js";
import { checkTargetRules } from "./rules.js";
import { configSchema } from "./schema.js";
import { checkSecrets, type Environment } from "./secrets.js";
import { checkShape } from "./shape.js";
import { checkSigning, readSigningKeys, trustedKeys } from "./signing.js";
import { valueOf, type StaticObject } from "./static-value.js";
import { checkValues } from "./values.js";
import { readVersion } from "./version.js";

/** What validation depends on besides the config: the environment and the known boards. */
export interface ValidationContext {
  env: Environment;
  targets: ReadonlyMap<string, Target>;
  /** Directory signing.publicKeysFile is relative to (the config file's); default the working directory. */
  configDir?: string;
}

/** What validation read from the config, for resolution: each read once. */
export interface Readings {
  /** Absent where the version is invalid (an error was reported). */
  version?: VersionPolicy;
  /** Each endpoint's template, the user's or the default, unfilled. */
  endpoints: EffectiveEndpoint[];
  /** The public keys devices trust at first (base64), duplicates dropped. */
  publicKeys: string[];
}

/** A config's problems, errors and warnings in no particular order, and what was read to find them. */
export interface Validation {
  issues: Issue[];
  readings: Readings;
}

/** Every problem of the config, and its readings. */
export function validateConfig(config: StaticObject, context: ValidationContext): Validation {
  const version = readVersion(valueOf(config, "version", "string"));
  const endpoints = effectiveEndpoints(config);
  const keys = readSigningKeys(config, context.configDir ?? process.cwd());
  const issues = [
    ...checkShape(config, configSchema),
    ...checkValues(config, context.targets),
    ...version.issues,
    ...checkEndpoints(endpoints),
    ...checkSecrets(config, context.env),
    ...checkTargetRules(config, context.targets, measuredHeap(), endpoints),
    ...checkSigning(config, keys),
  ];
  return { issues, readings: { ...(version.policy ? { version: version.policy } : {}), endpoints, publicKeys: trustedKeys(keys) } };
}
