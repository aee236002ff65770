/** What the templates see: decided here from the config and the board, never in the templates. */
import type { Target } from "../../targets/index.js";
import { usesTls } from "../config/endpoints.js";
import type { DeviceString, ResolvedConfig } from "../config/resolved.js";
import { MAX_APP_PATH_CHARS, RESERVED_APP_NAMES, UPDATER_DIRS } from "../reserved-paths.js";
import { pythonLiteral } from "./python.js";

export interface TemplateModel {
  generatorVersion: string;
  board: string;
  configFile: string;
  configHash: string;
  repo: string;
  appDir: string;
  nextDir: string;
  prevDir: string;
  trashDir: string;
  /** Names a manifest may not ship at the top of appDir (see generator/reserved-paths.ts). */
  reservedAppNames: readonly string[];
  /** The longest path, relative to appDir, a manifest may name (see generator/reserved-paths.ts). */
  maxAppPathChars: number;
  /** The journal's two slots, written in turn (templates/ota.py.hbs). */
  journalSlots: [string, string];
  secretsFile: string;
  /** The two record slots of the trusted keys and the highest signed sequence, outside appDir. */
  trustFiles: [string, string];
  /** Public keys (base64) the generated code trusts at first; allowUnsigned: unsigned releases are accepted. */
  signing: { keys: string[]; allowUnsigned: boolean };
  /** Device file of the CA https:// servers must chain to (features.verifyTls). */
  caFile: string | null;
  urls: { latest: string; release: string; file: string };
  tagPrefix: string;
  policy: { pin: string | null; range: string | null; min: string | null; max: string | null };
  chunkSize: number;
  maxManifestBytes: number;
  maxHeaderLineBytes: number;
  maxAppBytes: number;
  trialBoots: number;
  /** Seconds a trial boot has to confirm before main.py resets the board. */
  trialSeconds: number;
  timerId: number;
  /** machine.WDT's timeout: under rp2's 8388 ms limit, and long enough for a slow flash write. */
  watchdogMs: number;
  timeoutSeconds: number;
  /** Wall-clock limit of one request (redirects and body included), and of one update(). */
  requestSeconds: number;
  updateSeconds: number;
  entry: string;
  modules: Target["modules"];
  tokenExpression: string;
  wifiSsidExpression: string;
  wifiPasswordExpression: string;
  features: {
    tls: boolean;
    /** Certificates checked against caFile where the firmware can (not with ESP8266's axTLS). */
    verifyTls: boolean;
    token: boolean;
    pin: boolean;
    range: boolean;
    wifi: boolean;
    updateOnBoot: boolean;
    machineReset: boolean;
    osSync: boolean;
    /** main.py resets a trial boot that raises or does not confirm in time. */
    trialGuard: boolean;
    /** ...with machine.WDT too, fed by the guard's timer. */
    hardwareWatchdog: boolean;
    /** Releases are checked against public keys (ota_verify carries the Ed25519 verifier). */
    signed: boolean;
    /** The switch may run on littlefs2, whose rename is atomic: whole directories move. */
    renameSwitch: boolean;
    /** The switch may run on FAT, whose rename is not: it copies, journaled file by file. */
    copySwitch: boolean;
    /** Both: the device finds out at boot which filesystem it runs on. */
    fsProbe: boolean;
  };
}

/**
 * The wall-clock deadlines, in socket timeouts: a request (connect, redirects, headers, body) may
 * take REQUEST_TIMEOUTS of them, one update() (every request and the flash writes) UPDATE_TIMEOUTS.
 * A server that sends one byte a second never lets a socket time out; these end it.
 */
export const REQUEST_TIMEOUTS = 6;
export const UPDATE_TIMEOUTS = 60;

/** Python expression that yields a device string: a literal, or a read of the secrets file. */
export function deviceStringExpression(value: DeviceString, secretReader: string): string {
  switch (value.kind) {
    case "literal":
      return pythonLiteral(value.value);
    case "embedded-secret":
      return pythonLiteral(value.value);
    case "secret":
      return `${secretReader}(${pythonLiteral(value.name)})`;
  }
}

/** Builds the template model for one board. */
export function buildModel(config: ResolvedConfig, target: Target, generatorVersion: string): TemplateModel {
  const urls = config.endpoints;
  const tls = Object.values(urls).some(usesTls);
  const version = config.version;
  const wifi = config.wifi !== null && target.has.wlan;
  const trialGuard = config.trialSeconds > 0 && target.has.machineReset && target.timerId !== null;
  const filesystems = [target.flash.filesystem, ...target.flash.alsoMet];
  const renameSwitch = filesystems.includes("littlefs2");
  const copySwitch = filesystems.includes("fat");
  return {
    generatorVersion,
    board: target.name,
    configFile: config.configPath.split(/[\\/]/).pop() ?? "ota.config.ts",
    configHash: config.configHash,
    repo: config.repo,
    appDir: config.appDir,
    nextDir: UPDATER_DIRS.next,
    prevDir: UPDATER_DIRS.prev,
    trashDir: UPDATER_DIRS.trash,
    reservedAppNames: RESERVED_APP_NAMES,
    maxAppPathChars: MAX_APP_PATH_CHARS,
    journalSlots: ["/ota.j0", "/ota.j1"],
    secretsFile: config.secretsFile,
    trustFiles: ["/ota_trust_a.json", "/ota_trust_b.json"],
    signing: { keys: config.signing.publicKeys, allowUnsigned: config.signing.allowUnsigned },
    caFile: config.tls?.caFile ?? null,
    urls,
    tagPrefix: config.tagPrefix,
    policy: {
      pin: version.kind === "pin" ? version.version : null,
      range: version.kind === "range" ? version.range : null,
      min: version.kind === "range" ? version.min : null,
      max: version.kind === "range" ? version.max : null,
    },
    chunkSize: target.chunkSize,
    maxManifestBytes: target.maxManifestBytes,
    maxHeaderLineBytes: target.maxHeaderLineBytes,
    maxAppBytes: target.flash.budgetBytes,
    trialBoots: config.trialBoots,
    trialSeconds: config.trialSeconds,
    timerId: target.timerId ?? -1,
    watchdogMs: 8000,
    timeoutSeconds: config.timeoutSeconds,
    requestSeconds: config.timeoutSeconds * REQUEST_TIMEOUTS,
    updateSeconds: config.timeoutSeconds * UPDATE_TIMEOUTS,
    entry: config.entry,
    modules: target.modules,
    tokenExpression: config.token ? deviceStringExpression(config.token, "secret") : "None",
    wifiSsidExpression: config.wifi ? deviceStringExpression(config.wifi.ssid, "ota.secret") : "None",
    wifiPasswordExpression: config.wifi ? deviceStringExpression(config.wifi.password, "ota.secret") : "None",
    features: {
      tls: tls && target.has.ssl,
      verifyTls: tls && target.has.ssl && target.has.reliableTls && config.tls !== undefined,
      token: config.token !== null,
      pin: version.kind === "pin",
      range: version.kind === "range",
      wifi,
      updateOnBoot: config.update === "boot",
      machineReset: target.has.machineReset,
      osSync: target.has.osSync,
      trialGuard: trialGuard,
      hardwareWatchdog: trialGuard && config.watchdog === "hardware" && target.has.watchdog,
      signed: config.signing.publicKeys.length > 0,
      renameSwitch,
      copySwitch,
      fsProbe: renameSwitch && copySwitch,
    },
  };
}
