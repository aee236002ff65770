/** Validates a statically read config: keys, values, secrets and the cross-field rules, all problems at once. */
import type { Target } from "../../targets/index.js";
import { checkEndpoints } from "./endpoints.js";
import type { Issue } from "./issue.js";
import { checkTargetRules } from "./rules.js";
import { configSchema } from "./schema.js";
import { checkSecrets, type Environment } from "./secrets.js";
import { checkShape } from "./shape.js";
import { checkSigning } from "./signing.js";
import type { StaticObject } from "./static-value.js";
import { checkValues } from "./values.js";

/** What validation depends on besides the config: the environment and the known boards. */
export interface ValidationContext {
  env: Environment;
  targets: ReadonlyMap<string, Target>;
  /** Directory signing.publicKeysFile is relative to (the config file's); default the working directory. */
  configDir?: string;
}

/** Every problem of the config, errors and warnings, in no particular order. */
export function validateConfig(config: StaticObject, context: ValidationContext): Issue[] {
  return [
    ...checkShape(config, configSchema),
    ...checkValues(config, context.targets),
    ...checkEndpoints(config),
    ...checkSecrets(config, context.env),
    ...checkTargetRules(config, context.targets),
    ...checkSigning(config, context.configDir ?? process.cwd()),
  ];
}
