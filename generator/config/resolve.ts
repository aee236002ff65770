/** Applies defaults to a validated config and names its secrets: the ResolvedConfig the generator reads. */
import { createHash } from "node:crypto";
import type { BoardName } from "./types.js";
import { fillEndpoint } from "./endpoints.js";
import { defaultAppPath, type DeviceString, type ResolvedConfig } from "./resolved.js";
import { configSchema } from "./schema.js";
import { embeddedNames, type Environment } from "./secrets.js";
import { property, stringItems, valueOf, type StaticObject, type StaticValue } from "./static-value.js";
import type { Readings } from "./validate.js";

/** Where the config came from, and the environment embedded secrets are read from. */
export interface ResolveSource {
  configPath: string;
  env: Environment;
}

/** Keys whose value is a string, a number, or one of some strings, and whose default is the schema's. */
type StringKey = "entry" | "tagPrefix" | "secretsFile";
type NumberKey = "trialBoots" | "trialSeconds" | "timeoutSeconds";
type ChoiceKey = "watchdog" | "update";

/**
 * The ResolvedConfig of a config that passed validation (anything else is a bug in the loader),
 * from what validation read of it: the version is not parsed again, nor the key file read again.
 */
export function resolveConfig(config: StaticObject, readings: Readings, source: ResolveSource): ResolvedConfig {
  const given = (key: string): string | undefined => valueOf(config, key, "string")?.value;
  const string = (key: StringKey): string => given(key) ?? configSchema[key].default.value;
  const number = (key: NumberKey): number => valueOf(config, key, "number")?.value ?? configSchema[key].default.value;
  const choice = <K extends ChoiceKey>(key: K) => (given(key) ?? configSchema[key].default.value) as ResolvedConfig[K];
  const repo = given("repo") ?? "";
  const appDir = given("appDir") ?? "";
  const appPath = given("appPath") ?? defaultAppPath(appDir);
  if (readings.version === undefined) throw new Error("internal: unvalidated version reached resolveConfig");
  const embedded = embeddedNames(config);
  const device = (value: StaticValue | undefined): DeviceString => deviceString(value, embedded, source.env);
  const wifi = valueOf(config, "wifi", "object");
  const token = valueOf(config, "token", "secret");
  const endpoints = Object.fromEntries(readings.endpoints.map((e) => [e.name, fillEndpoint(e.template, repo, appPath)]));
  const caFile = valueOf(valueOf(config, "tls", "object"), "caFile", "string")?.value;
  const resolved: Omit<ResolvedConfig, "configHash" | "configPath" | "appPath"> = {
    repo,
    appDir,
    boards: [...new Set(stringItems(valueOf(config, "boards", "array")).map((board) => board.value as BoardName))],
    version: readings.version,
    entry: string("entry"),
    wifi:
      wifi === undefined
        ? null
        : { ssid: device(property(wifi, "ssid")?.value), password: device(property(wifi, "password")?.value) },
    token: token === undefined ? null : device(token),
    endpoints: endpoints as ResolvedConfig["endpoints"],
    tagPrefix: string("tagPrefix"),
    trialBoots: number("trialBoots"),
    trialSeconds: number("trialSeconds"),
    watchdog: choice("watchdog"),
    update: choice("update"),
    timeoutSeconds: number("timeoutSeconds"),
    secretsFile: string("secretsFile"),
    signing: {
      publicKeys: readings.publicKeys,
      allowUnsigned:
        valueOf(valueOf(config, "signing", "object"), "allowUnsigned", "boolean")?.value ??
        configSchema.signing.type.fields.allowUnsigned.default.value,
    },
    ...(caFile === undefined ? {} : { tls: { caFile } }),
  };
  const minFirmware = given("minFirmware");
  // appPath is left out of the identity: the generated files see it only through endpoints.file;
  // minFirmware too: only the heap check reads it
  return { ...resolved, appPath, ...(minFirmware === undefined ? {} : { minFirmware }), configHash: identityOf(resolved), configPath: source.configPath };
}

/**
 * The config's identity for the generated headers: sha256 of what it resolves to (keys sorted,
 * embedded secrets by name only), so that a comment, a quote style or line endings in the
 * file change nothing, and no secret's value can be guessed from a header.
 */
function identityOf(resolved: Omit<ResolvedConfig, "configHash" | "configPath" | "appPath">): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value === null || typeof value !== "object") return value;
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key, inner]) => inner !== undefined && !(key === "value" && (value as { kind?: unknown }).kind === "embedded-secret"))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, inner]) => [key, canonical(inner)]));
  };
  return createHash("sha256").update(JSON.stringify(canonical(resolved))).digest("hex");
}

function deviceString(value: StaticValue | undefined, embedded: ReadonlySet<string>, env: Environment): DeviceString {
  if (value?.kind === "string") return { kind: "literal", value: value.value };
  if (value?.kind !== "secret") throw new Error("internal: unvalidated device string reached resolveConfig");
  const fromEnv = env[value.name];
  if (embedded.has(value.name) && fromEnv !== undefined)
    return { kind: "embedded-secret", name: value.name, value: fromEnv };
  return { kind: "secret", name: value.name };
}
