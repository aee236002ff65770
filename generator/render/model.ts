/** What the templates see: decided here from the config and the board, never in the templates. */
import type { Target } from "../../targets/index.js";
import type { DeviceString, ResolvedConfig } from "../config/resolved.js";
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
  /** The journal's two slots, written in turn (templates/partials/journal.hbs). */
  journalSlots: [string, string];
  secretsFile: string;
  urls: { latest: string; release: string; file: string };
  tagPrefix: string;
  policy: { pin: string | null; range: string | null; min: string | null; max: string | null };
  chunkSize: number;
  maxManifestBytes: number;
  maxAppBytes: number;
  trialBoots: number;
  timeoutSeconds: number;
  entry: string;
  modules: Target["modules"];
  tokenExpression: string;
  wifiSsidExpression: string;
  wifiPasswordExpression: string;
  features: {
    tls: boolean;
    token: boolean;
    pin: boolean;
    range: boolean;
    wifi: boolean;
    updateOnBoot: boolean;
    machineReset: boolean;
    osSync: boolean;
    /** The switch may run on littlefs2, whose rename is atomic: whole directories move. */
    renameSwitch: boolean;
    /** The switch may run on FAT, whose rename is not: it copies, journaled file by file. */
    copySwitch: boolean;
    /** Both: the device finds out at boot which filesystem it runs on. */
    fsProbe: boolean;
  };
}

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
  const tls = Object.values(urls).some((url) => url.startsWith("https://"));
  const version = config.version;
  const wifi = config.wifi !== null && target.has.wlan;
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
    nextDir: "/next",
    prevDir: "/prev",
    trashDir: "/ota_trash",
    journalSlots: ["/ota.j0", "/ota.j1"],
    secretsFile: config.secretsFile,
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
    maxAppBytes: target.flash.budgetBytes,
    trialBoots: config.trialBoots,
    timeoutSeconds: config.timeoutSeconds,
    entry: config.entry,
    modules: target.modules,
    tokenExpression: config.token ? deviceStringExpression(config.token, "secret") : "None",
    wifiSsidExpression: config.wifi ? deviceStringExpression(config.wifi.ssid, "ota.secret") : "None",
    wifiPasswordExpression: config.wifi ? deviceStringExpression(config.wifi.password, "ota.secret") : "None",
    features: {
      tls: tls && target.has.ssl,
      token: config.token !== null,
      pin: version.kind === "pin",
      range: version.kind === "range",
      wifi,
      updateOnBoot: config.update === "boot",
      machineReset: target.has.machineReset,
      osSync: target.has.osSync,
      renameSwitch,
      copySwitch,
      fsProbe: renameSwitch && copySwitch,
    },
  };
}
