/** Applies defaults to a validated config and names its secrets: the ResolvedConfig the generator reads. */
import { createHash } from "node:crypto";
import type { BoardName } from "./types.js";
import { fillEndpoint, templateOf, type EndpointName } from "./endpoints.js";
import { defaultAppPath, type DeviceString, type ResolvedConfig } from "./resolved.js";
import { embeddedNames, type Environment } from "./secrets.js";
import { property, stringItems, valueOf, type StaticObject, type StaticValue } from "./static-value.js";
import { signingKeys } from "./signing.js";
import { parseVersion } from "./version.js";

/** Where the config came from, and the environment embedded secrets are read from. */
export interface ResolveSource {
  configPath: string;
  env: Environment;
  /** Directory signing.publicKeysFile is relative to. */
  configDir: string;
}

/** The ResolvedConfig of a config that passed validation (anything else is a bug in the loader). */
export function resolveConfig(config: StaticObject, source: ResolveSource): ResolvedConfig {
  const string = (key: string, fallback: string): string => valueOf(config, key, "string")?.value ?? fallback;
  const number = (key: string, fallback: number): number => valueOf(config, key, "number")?.value ?? fallback;
  const repo = string("repo", "");
  const appDir = string("appDir", "");
  const appPath = string("appPath", defaultAppPath(appDir));
  const version = parseVersion(string("version", "latest"));
  if (!version.ok) throw new Error(`internal: unvalidated version reached resolveConfig: ${version.message}`);
  const embedded = embeddedNames(config);
  const device = (value: StaticValue | undefined): DeviceString => deviceString(value, embedded, source.env);
  const wifi = valueOf(config, "wifi", "object");
  const token = valueOf(config, "token", "secret");
  const endpoint = (name: EndpointName): string => fillEndpoint(templateOf(config, name), repo, appPath);
  const caFile = valueOf(valueOf(config, "tls", "object"), "caFile", "string")?.value;
  const resolved: Omit<ResolvedConfig, "configHash" | "configPath" | "appPath"> = {
    repo,
    appDir,
    boards: [...new Set(stringItems(valueOf(config, "boards", "array")).map((board) => board.value as BoardName))],
    version: version.policy,
    entry: string("entry", "main"),
    wifi:
      wifi === undefined
        ? null
        : { ssid: device(property(wifi, "ssid")?.value), password: device(property(wifi, "password")?.value) },
    token: token === undefined ? null : device(token),
    endpoints: { latest: endpoint("latest"), release: endpoint("release"), file: endpoint("file") },
    tagPrefix: string("tagPrefix", "v"),
    trialBoots: number("trialBoots", 3),
    trialSeconds: number("trialSeconds", 120),
    watchdog: string("watchdog", "hardware") === "timer" ? "timer" : "hardware",
    update: string("update", "boot") === "manual" ? "manual" : "boot",
    timeoutSeconds: number("timeoutSeconds", 10),
    secretsFile: string("secretsFile", "/secrets.json"),
    signing: {
      publicKeys: signingKeys(config, source.configDir),
      allowUnsigned: valueOf(valueOf(config, "signing", "object"), "allowUnsigned", "boolean")?.value === true,
    },
    ...(caFile === undefined ? {} : { tls: { caFile } }),
  };
  // appPath is left out of the identity: the generated files see it only through endpoints.file
  return { ...resolved, appPath, configHash: identityOf(resolved), configPath: source.configPath };
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
