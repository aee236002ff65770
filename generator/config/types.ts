/** Public types of `ota.config.ts`: what a device repo writes, checked by the loader. */

/** Names of the boards under `targets/`. Kept in step with `targets/index.ts` by a test. */
export type BoardName = "esp8266" | "esp32" | "rp2-pico-w" | "unix";

/** A value that lives only on the device, in its secrets file, never in generated code. */
export interface Secret {
  readonly __secret: string;
}

/** Where the device asks for versions, manifests and files. URL templates; see docs/protocol.md. */
export interface Endpoints {
  /** Manifest of the latest stable release. Placeholders: {repo}, {asset}. Default "https://github.com/{repo}/releases/latest/download/{asset}". */
  latest?: string;
  /** Manifest of one release. Placeholders: {repo}, {tag}, {asset}. Default "https://github.com/{repo}/releases/download/{tag}/{asset}". */
  release?: string;
  /** One file of the app at a tag. Placeholders: {repo}, {tag}, {dir} (appPath), {path}. Default "https://raw.githubusercontent.com/{repo}/{tag}/{dir}/{path}". */
  file?: string;
}

/** What `main.py` does about updates on each boot. */
export type UpdatePolicy =
  /** Check, download and reboot into a new version on every boot. */
  | "boot"
  /** Only finish switches and count trial boots; the app calls `ota.update()` itself. */
  | "manual";

export interface OtaConfig {
  /** GitHub repository that publishes releases, "owner/name". */
  repo: string;
  /** The only directory the updater ever changes, e.g. "/project". */
  appDir: string;
  /**
   * Where the app lives in the repository, from its root (not from the config file), "/"-separated:
   * the folder `gen-ota release` publishes, `gen-ota simulate` and `bundle` read, and devices fetch
   * files from at a tag. Default appDir without its leading "/" (a folder named like appDir at the
   * repository's root), e.g. "firmware/app" for a config in firmware/.
   */
  appPath?: string;
  /** Boards to generate for: names from targets/. */
  boards: BoardName[];
  /** "latest", a pinned version "1.4.2", or a semver range "^1.4". Default "latest". */
  version?: string;
  /** Module inside appDir that main.py starts. Default "main". */
  entry?: string;
  /** Wi-Fi credentials; main.py connects before checking. Omit if the app connects itself. */
  wifi?: { ssid: Secret | string; password: Secret | string };
  /** GitHub token sent as Authorization to the endpoints' own host (private repos). */
  token?: Secret;
  /** Endpoint URL templates. A plain-HTTP mirror suits ESP8266. Default GitHub's. */
  endpoints?: Endpoints;
  /** Prefix of release tags before the semver version. Default "v". */
  tagPrefix?: string;
  /** Unconfirmed boots a new version gets before the device rolls back, 1 to 20. Default 3. */
  trialBoots?: number;
  /**
   * Seconds the app has on a trial boot to call ota.confirm(); then main.py resets the board,
   * and an app that raises on a trial boot resets it at once, so rollback needs nobody at the
   * board. 0 (off) or 5 to 3600. Default 120.
   */
  trialSeconds?: number;
  /**
   * What resets a trial boot that runs out of time: "hardware" uses machine.WDT where the board
   * has it (it also catches a hang in C, and once started it is fed for good), "timer" a
   * machine.Timer only. Default "hardware".
   */
  watchdog?: "hardware" | "timer";
  /** What main.py does about updates. Default "boot". */
  update?: UpdatePolicy;
  /** Socket timeout in seconds, 1 to 120. Default 10. */
  timeoutSeconds?: number;
  /** Device-local JSON file holding secrets by name. Default "/secrets.json". */
  secretsFile?: string;
  /** Secrets the user asks, by name, to embed in generated files (read from the environment). Default []. */
  embedSecrets?: string[];
  /**
   * Certificate checks for https:// endpoints. `caFile`: a device file (PEM or DER) holding the
   * CA that signed the servers' certificates, put on the device like the secrets file. Firmware
   * with `ssl.SSLContext.load_verify_locations` (1.22+) then refuses any other certificate;
   * older firmware and ESP8266's axTLS cannot check certificates (see docs/security.md).
   */
  tls?: { caFile: string };
  /**
   * The oldest MicroPython firmware the boards run, e.g. "1.22": the heap check (GEN_OTA_0305)
   * judges each board on the firmware measured from this version up. Default each board's
   * oldest supported (esp8266 1.13, esp32 1.19, Pico W 1.20).
   */
  minFirmware?: string;
  /** Which releases devices accept: signed by one of these Ed25519 keys, or (explicitly) unsigned too. */
  signing?: Signing;
}

/** Release signing (docs/protocol.md, "Signatures"). `gen-ota keygen` makes the keys. */
export interface Signing {
  /** Public keys (base64 of 32 bytes, as gen-ota keygen prints them): a primary and an offline backup. Default []. */
  publicKeys?: string[];
  /** A file of public keys, one per line, relative to the config file; adds to publicKeys. */
  publicKeysFile?: string;
  /** Accept releases without a signature. Only for development: anyone on the network path could install code. Default false. */
  allowUnsigned?: boolean;
}

/** Declares the config with its types; returns it unchanged. */
export function defineConfig(config: OtaConfig): OtaConfig {
  return config;
}

/** Names a secret kept on the device (in `secretsFile`), never in generated code. */
export function secret(name: string): Secret {
  return { __secret: name };
}
