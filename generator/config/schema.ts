/**
 * The facts of every `OtaConfig` key, once: its type, whether it is required, its default, its
 * range and what it is for. Validation, resolution and hints read them here; the README's config
 * table is generated from them and the JSDoc of types.ts is checked against them (test/golden/readme.test.ts,
 * test/config/schema.test.ts).
 */
import type { DiagnosticCode } from "../diagnostic-codes.js";
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

/** The numbers a number key accepts: min to max (whole ones only if `integer`), or `off`; outside them, `code`. */
export interface NumberRange {
  min: number;
  max: number;
  integer: boolean;
  /** A value outside min..max that turns the feature off. */
  off?: number;
  code: DiagnosticCode;
}

/** What the config means where it leaves a key out: a value, or in words one computed from other keys. */
export type FieldDefault = { value: string | number | boolean | readonly string[] } | { text: string };

/** One key of the config. */
export interface FieldSpec {
  type: FieldType;
  /**
   * true: leaving it out is GEN_OTA_0102. "own-rule": required too, but its absence is a diagnostic
   * of its own (signing: GEN_OTA_0230, with what to write), so the shape check leaves it alone.
   */
  required: boolean | "own-rule";
  /** What the key is for, one line; hints add its range and default (`describeField`). */
  summary: string;
  default?: FieldDefault;
  range?: NumberRange;
  /** The README's type column, markdown, where the type alone says too little (e.g. "absolute path"). */
  shape?: string;
  /** The README's meaning column, markdown, where it says more than the summary. */
  doc?: string;
}

const wifiFields = {
  ssid: { type: { kind: "device-string" }, required: true, summary: "network name" },
  password: { type: { kind: "device-string" }, required: true, summary: "network password" },
} as const satisfies Record<keyof NonNullable<OtaConfig["wifi"]>, FieldSpec>;

const tlsFields = {
  caFile: {
    type: { kind: "string" },
    required: true,
    summary: 'device file (PEM or DER) of the CA that signs the servers\' certificates, e.g. "/certs/github-ca.pem"',
    shape: "absolute path",
    doc: "a device file (PEM or DER) of the CA https:// servers must chain to, put on the device like the secrets file; outside `appDir` and the updater's paths (`GEN_OTA_0221`)",
  },
} as const satisfies Record<keyof NonNullable<OtaConfig["tls"]>, FieldSpec>;

const endpointFields = {
  latest: {
    type: { kind: "string" },
    required: false,
    summary: "URL of the latest release's assets; placeholders {repo}, {asset}",
    default: { value: "https://github.com/{repo}/releases/latest/download/{asset}" },
    shape: "URL template",
  },
  release: {
    type: { kind: "string" },
    required: false,
    summary: "URL of one release's assets; placeholders {repo}, {tag}, {asset}",
    default: { value: "https://github.com/{repo}/releases/download/{tag}/{asset}" },
    shape: "URL template",
  },
  file: {
    type: { kind: "string" },
    required: false,
    summary: "URL of one app file at a tag; placeholders {repo}, {tag}, {dir} (appPath), {path}",
    default: { value: "https://raw.githubusercontent.com/{repo}/{tag}/{dir}/{path}" },
    shape: "URL template",
  },
} as const satisfies Record<keyof Endpoints, FieldSpec>;

const signingFields = {
  publicKeys: {
    type: { kind: "string-list" },
    required: false,
    summary: "Ed25519 public keys devices trust, base64 as gen-ota keygen prints them: a primary and a backup",
    default: { value: [] },
    shape: "base64 Ed25519 public keys",
    doc: "keys a release may be signed with (a primary and an offline backup), as `gen-ota keygen` prints them; a bad key is an error at its place in the config",
  },
  publicKeysFile: {
    type: { kind: "string" },
    required: false,
    summary: "a file of public keys, one per line, relative to the config",
    shape: "path",
    doc: "a file of public keys, one per line, relative to the config; adds to `publicKeys`",
  },
  allowUnsigned: {
    type: { kind: "boolean" },
    required: false,
    summary: "accept releases without a signature (development only)",
    default: { value: false },
    doc: "also accept releases without `ota-manifest.sig` (development only: anyone on the network path could install code); warned about (`GEN_OTA_0306`)",
  },
} as const satisfies Record<keyof Signing, FieldSpec>;

/** Every key of `OtaConfig`, in the order messages list them. */
export const configSchema = {
  repo: {
    type: { kind: "string" },
    required: true,
    summary: 'GitHub repository that publishes releases, "owner/name"',
    shape: '`"owner/name"`',
    doc: "GitHub repository that publishes releases",
  },
  appDir: {
    type: { kind: "string" },
    required: true,
    summary: 'the only device directory ever updated, e.g. "/project"',
    shape: "absolute path",
    doc: "the only directory updates change, e.g. `/project`; not `/`, no `..`, none of the updater's paths (`/next`, `/prev`, `/ota*`, `/main.py`, `/boot.py`, `/lib`)",
  },
  appPath: {
    type: { kind: "string" },
    required: false,
    summary: 'the app\'s folder in the repository, from its root, e.g. "firmware/app"',
    default: { text: 'appDir without its leading "/"' },
    shape: "repository path",
    doc: "where the app lives in the repository, from its root (not from the config file), e.g. `\"firmware/app\"` for a config in `firmware/`: the folder `release` publishes, `simulate` and `bundle` read, and devices fetch files from at a tag (`{dir}` in `endpoints.file`). `/`-separated, no leading `/`, no `.` or `..`, only letters, digits and `-._~` (it goes into URLs as it is); invalid: `GEN_OTA_0223`",
  },
  boards: {
    type: { kind: "string-list" },
    required: true,
    summary: 'board names from targets/, e.g. ["esp8266", "esp32"]',
    shape: "board names",
    doc: "boards to generate for",
  },
  version: {
    type: { kind: "string" },
    required: false,
    summary: '"latest", a pin "1.4.2", or a semver range "^1.4"',
    default: { value: "latest" },
    shape: '`"latest"`, `"1.4.2"`, `"^1.4"`',
    doc: "follow the latest stable release, pin one (a missing pin falls back to the latest stable), or stay in a range; whichever, a device only ever moves to a newer version (see `docs/security.md`)",
  },
  entry: {
    type: { kind: "string" },
    required: false,
    summary: "module in appDir that main.py starts",
    default: { value: "main" },
    shape: "module name",
    doc: "module in `appDir` that `main.py` starts; not one of the updater's own names (`ota`, `ota_*`, `boot`, in any case: `GEN_OTA_0224`), which `main.py` would import instead of your app",
  },
  wifi: {
    type: { kind: "object", fields: wifiFields },
    required: false,
    summary: 'Wi-Fi credentials: { ssid: secret("WIFI_SSID"), password: secret("WIFI_PASS") }',
    doc: "`main.py` connects before checking; omit if your app connects. A `password` written as a string goes into the generated `ota_main.py`, which you commit, and is warned about (`GEN_OTA_0225`): use `secret(\"WIFI_PASS\")`, or, to embed it on purpose, `secret()` with `embedSecrets`",
  },
  token: {
    type: { kind: "secret" },
    required: false,
    summary: 'GitHub token, always secret("NAME")',
    doc: "GitHub token for a private repo; sent only to the scheme, host and port of the endpoint asked, never to a redirect's other host or port, never over http:// once https://",
  },
  endpoints: {
    type: { kind: "object", fields: endpointFields },
    required: false,
    summary: "endpoint URL templates: latest, release, file",
    default: { text: "GitHub's" },
    doc: "see `docs/protocol.md`; a plain-HTTP mirror suits ESP8266, whose axTLS rarely completes a handshake with GitHub",
  },
  tagPrefix: {
    type: { kind: "string" },
    required: false,
    summary: "prefix of release tags before the version",
    default: { value: "v" },
    doc: "release tags are `<tagPrefix><version>`",
  },
  trialBoots: {
    type: { kind: "number" },
    required: false,
    summary: "unconfirmed boots before rollback",
    range: { min: 1, max: 20, integer: true, code: "GEN_OTA_0209" },
    default: { value: 3 },
  },
  trialSeconds: {
    type: { kind: "number" },
    required: false,
    summary: "seconds the app has on a trial boot to confirm before main.py resets the board",
    range: { min: 5, max: 3600, integer: true, off: 0, code: "GEN_OTA_0222" },
    default: { value: 120 },
    doc: "on a trial boot the app must call `ota.confirm()` within this, or `main.py` resets the board (an app that raises on a trial boot resets it at once), so a bad version is rolled back with nobody at the board; 0 turns it off",
  },
  watchdog: {
    type: { kind: "string", oneOf: ["hardware", "timer"] satisfies readonly NonNullable<OtaConfig["watchdog"]>[] },
    required: false,
    summary: 'what resets a trial boot out of time: "hardware" (machine.WDT where the board has one) or "timer"',
    default: { value: "hardware" },
    doc: "what resets a trial boot that runs out of time: `machine.WDT` where the board has a configurable one (ESP32, Pico W; it also catches a hang in C, and once started it is fed for good by the guard's timer), else a `machine.Timer` alone",
  },
  update: {
    type: { kind: "string", oneOf: ["boot", "manual"] satisfies readonly NonNullable<OtaConfig["update"]>[] },
    required: false,
    summary: 'what main.py does about updates: "boot" or "manual"',
    default: { value: "boot" },
    doc: "`boot`: `main.py` checks, downloads and reboots into a new version on every boot; `manual`: your app calls `ota.update()`",
  },
  timeoutSeconds: {
    type: { kind: "number" },
    required: false,
    summary: "socket timeout in seconds",
    range: { min: 1, max: 120, integer: false, code: "GEN_OTA_0210" },
    default: { value: 10 },
    doc: "socket timeout, and the deadlines made of it: 6 times it per request, 60 times it per `ota.update()`",
  },
  secretsFile: {
    type: { kind: "string" },
    required: false,
    summary: "device-local JSON file of secrets by name",
    default: { value: "/secrets.json" },
    shape: "absolute path",
    doc: "device-local JSON of secrets by name; never generated, never committed; outside `appDir` and the updater's paths",
  },
  embedSecrets: {
    type: { kind: "string-list" },
    required: false,
    summary: "names of secrets to embed in generated files, read from the environment",
    default: { value: [] },
    shape: "secret names",
    doc: "secrets you ask, by name, to embed in generated files (read from the environment at generation)",
  },
  signing: {
    type: { kind: "object", fields: signingFields },
    required: "own-rule",
    summary: 'release signing: { publicKeys: ["<base64>", ...] } from gen-ota keygen, or { allowUnsigned: true }',
    doc: "which releases devices accept; see [Signing](#signing)",
  },
  tls: {
    type: { kind: "object", fields: tlsFields },
    required: false,
    summary: 'certificate checks on https:// endpoints: { caFile: "/certs/github-ca.pem" }, a device file',
    doc: "certificates checked with `CERT_REQUIRED` on firmware 1.22+ (ESP32, Pico W), not on ESP8266 (axTLS cannot); see `docs/security.md`",
  },
  minFirmware: {
    type: { kind: "string" },
    required: false,
    summary: 'the oldest MicroPython firmware the boards run, e.g. "1.22"',
    default: { text: "each board's oldest supported" },
    shape: '`"1.22"`',
    doc: "the heap check (`GEN_OTA_0305`) judges each board on the firmware `npm run bench` measured from this version up; by default from the board's oldest (esp8266 1.13, esp32 1.19, Pico W 1.20). Not a version: `GEN_OTA_0226`",
  },
} as const satisfies Record<keyof OtaConfig, FieldSpec>;

/** The config's keys. */
export const configKeys = Object.keys(configSchema) as (keyof OtaConfig)[];

/** A number key's range in words: "1 to 20", "0 (off) or 5 to 3600". */
export function rangeText(range: NumberRange): string {
  return `${range.off === undefined ? "" : `${range.off} (off) or `}${range.min} to ${range.max}`;
}

/** A default in words: a value as it is written in the config ("v" quoted, 3 not), or the words for a computed one. */
export function defaultText(fallback: FieldDefault): string {
  return "value" in fallback ? JSON.stringify(fallback.value) : fallback.text;
}

/** The key's line in hints: what it is for, its range, its default. */
export function describeField(spec: FieldSpec): string {
  const range = spec.range === undefined ? "" : `, ${rangeText(spec.range)}`;
  const fallback = spec.default === undefined ? "" : `; default ${defaultText(spec.default)}`;
  return `${spec.summary}${range}${fallback}`;
}
