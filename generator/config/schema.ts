/** The shape of `OtaConfig` as data: each key's type, whether it is required, and what it is for. */
import type { Endpoints, OtaConfig, Signing } from "./types.js";

/** The type a key's value must have. */
export type FieldType =
  | { kind: "string"; oneOf?: readonly string[] }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "string-list" }
  /** `secret("NAME")` only. */
  | { kind: "secret" }
  /** A string, or `secret("NAME")`. */
  | { kind: "device-string" }
  | { kind: "object"; fields: Readonly<Record<string, FieldSpec>> };

/** One key of the config. */
export interface FieldSpec {
  type: FieldType;
  required: boolean;
  /** One line, shown in hints. */
  description: string;
}

const wifiFields = {
  ssid: { type: { kind: "device-string" }, required: true, description: "network name" },
  password: { type: { kind: "device-string" }, required: true, description: "network password" },
} as const satisfies Record<string, FieldSpec>;

const tlsFields = {
  caFile: {
    type: { kind: "string" },
    required: true,
    description: 'device file (PEM or DER) of the CA that signs the servers\' certificates, e.g. "/certs/github-ca.pem"',
  },
} as const satisfies Record<keyof NonNullable<OtaConfig["tls"]>, FieldSpec>;

const endpointFields = {
  latest: {
    type: { kind: "string" },
    required: false,
    description: "URL of the latest release's assets; placeholders {repo}, {asset}",
  },
  release: {
    type: { kind: "string" },
    required: false,
    description: "URL of one release's assets; placeholders {repo}, {tag}, {asset}",
  },
  file: {
    type: { kind: "string" },
    required: false,
    description: "URL of one app file at a tag; placeholders {repo}, {tag}, {dir} (appPath), {path}",
  },
} as const satisfies Record<keyof Endpoints, FieldSpec>;

const signingFields = {
  publicKeys: {
    type: { kind: "string-list" },
    required: false,
    description: "Ed25519 public keys devices trust, base64 as gen-ota keygen prints them: a primary and a backup",
  },
  publicKeysFile: {
    type: { kind: "string" },
    required: false,
    description: "a file of public keys, one per line, relative to the config",
  },
  allowUnsigned: {
    type: { kind: "boolean" },
    required: false,
    description: "accept releases without a signature (development only); default false",
  },
} as const satisfies Record<keyof Signing, FieldSpec>;

/** Every key of `OtaConfig`, in the order messages list them. */
export const configSchema = {
  repo: {
    type: { kind: "string" },
    required: true,
    description: 'GitHub repository that publishes releases, "owner/name"',
  },
  appDir: {
    type: { kind: "string" },
    required: true,
    description: 'the only device directory ever updated, e.g. "/project"',
  },
  appPath: {
    type: { kind: "string" },
    required: false,
    description: 'the app\'s folder in the repository, from its root, e.g. "firmware/app"; default appDir without its leading "/"',
  },
  boards: {
    type: { kind: "string-list" },
    required: true,
    description: 'board names from targets/, e.g. ["esp8266", "esp32"]',
  },
  version: {
    type: { kind: "string" },
    required: false,
    description: '"latest", a pin "1.4.2", or a semver range "^1.4"; default "latest"',
  },
  entry: {
    type: { kind: "string" },
    required: false,
    description: 'module in appDir that main.py starts; default "main"',
  },
  wifi: {
    type: { kind: "object", fields: wifiFields },
    required: false,
    description: 'Wi-Fi credentials: { ssid: secret("WIFI_SSID"), password: secret("WIFI_PASS") }',
  },
  token: { type: { kind: "secret" }, required: false, description: 'GitHub token, always secret("NAME")' },
  endpoints: {
    type: { kind: "object", fields: endpointFields },
    required: false,
    description: "endpoint URL templates: latest, release, file; default GitHub's",
  },
  tagPrefix: {
    type: { kind: "string" },
    required: false,
    description: 'prefix of release tags before the version; default "v"',
  },
  trialBoots: {
    type: { kind: "number" },
    required: false,
    description: "unconfirmed boots before rollback, 1 to 20; default 3",
  },
  trialSeconds: {
    type: { kind: "number" },
    required: false,
    description: "seconds the app has on a trial boot to confirm before main.py resets the board, 0 (off) or 5 to 3600; default 120",
  },
  watchdog: {
    type: { kind: "string", oneOf: ["hardware", "timer"] },
    required: false,
    description: 'what resets a trial boot out of time: "hardware" (machine.WDT where the board has one) or "timer"; default "hardware"',
  },
  update: {
    type: { kind: "string", oneOf: ["boot", "manual"] },
    required: false,
    description: 'what main.py does about updates: "boot" or "manual"; default "boot"',
  },
  timeoutSeconds: {
    type: { kind: "number" },
    required: false,
    description: "socket timeout in seconds, 1 to 120; default 10",
  },
  secretsFile: {
    type: { kind: "string" },
    required: false,
    description: 'device-local JSON file of secrets by name; default "/secrets.json"',
  },
  embedSecrets: {
    type: { kind: "string-list" },
    required: false,
    description: "names of secrets to embed in generated files, read from the environment",
  },
  signing: {
    type: { kind: "object", fields: signingFields },
    required: false,
    description: 'release signing: { publicKeys: ["<base64>", ...] } from gen-ota keygen, or { allowUnsigned: true }',
  },
  tls: {
    type: { kind: "object", fields: tlsFields },
    required: false,
    description: 'certificate checks on https:// endpoints: { caFile: "/certs/github-ca.pem" }, a device file',
  },
} as const satisfies Record<keyof OtaConfig, FieldSpec>;

/** The config's keys. */
export const configKeys = Object.keys(configSchema) as (keyof OtaConfig)[];
