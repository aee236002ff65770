/** The config after loading: defaults applied, secrets named, every field checked. */
import type { BoardName, OtaConfig, UpdatePolicy } from "./types.js";

/** A string the device reads: either fixed in the generated code, or from its secrets file. */
export type DeviceString =
  | { kind: "literal"; value: string }
  /** Read on the device from the secrets file under `name`. */
  | { kind: "secret"; name: string }
  /** A secret the user asked, by name, to embed: `value` came from the environment. */
  | { kind: "embedded-secret"; name: string; value: string };

/** How the device decides which version it wants. */
export type VersionPolicy =
  | { kind: "latest" }
  | { kind: "pin"; version: string }
  /** A semver range compiled to half-open bounds: min <= v < max (max null: unbounded). */
  | { kind: "range"; range: string; min: string; max: string | null };

export interface ResolvedConfig {
  repo: string;
  appDir: string;
  /** The app's folder in the repository, from its root, "/"-separated ("" for the root itself is refused): what {dir} fills. */
  appPath: string;
  boards: BoardName[];
  /** The oldest firmware the boards run, as the config says it (absent: each board's oldest); the heap check and budget report read it, the generated files do not. */
  minFirmware?: string;
  version: VersionPolicy;
  entry: string;
  wifi: { ssid: DeviceString; password: DeviceString } | null;
  token: DeviceString | null;
  endpoints: { latest: string; release: string; file: string };
  tagPrefix: string;
  trialBoots: number;
  /** Seconds a trial boot has to confirm before main.py resets the board; 0: no reset. */
  trialSeconds: number;
  watchdog: NonNullable<OtaConfig["watchdog"]>;
  update: UpdatePolicy;
  timeoutSeconds: number;
  secretsFile: string;
  /** Public keys (base64) devices trust at first; allowUnsigned: releases without a signature are accepted too. */
  signing: { publicKeys: string[]; allowUnsigned: boolean };
  /** A device file of CA certificates that https:// servers must chain to; absent: no checks. */
  tls?: { caFile: string };
  /** sha256 (hex) of the resolved config (not of the file's text): goes into every generated header. */
  configHash: string;
  /** Path of the config file, as given. */
  configPath: string;
}

/** The app's folder in the repository when the config does not say: appDir's name at the root. */
export function defaultAppPath(appDir: string): string {
  return appDir.replace(/^\/+/, "");
}
