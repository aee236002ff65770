/** Checks the values of single keys (02xx): repo, appDir, boards, entry, numbers, tagPrefix, minFirmware, secretsFile (version: version.ts). */
import type { Target } from "../../targets/index.js";
import { reservedModuleOf, reservedPathOf } from "../reserved-paths.js";
import { error, type Issue } from "./issue.js";
import { stringItems, valueOf, type StaticObject, type StaticString } from "./static-value.js";
import { configKeys, configSchema, type NumberRange } from "./schema.js";
import { nearest } from "./suggest.js";
import { defaultAppPath } from "./resolved.js";

/** Every value problem of the config's own keys, in key order. */
export function checkValues(config: StaticObject, targets: ReadonlyMap<string, Target>): Issue[] {
  return [
    ...checkRepo(valueOf(config, "repo", "string")),
    ...checkAppDir(valueOf(config, "appDir", "string")),
    ...checkAppPath(valueOf(config, "appPath", "string"), valueOf(config, "appDir", "string")),
    ...checkBoards(config, targets),
    ...checkEntry(valueOf(config, "entry", "string")),
    ...checkTagPrefix(valueOf(config, "tagPrefix", "string")),
    ...checkMinFirmware(valueOf(config, "minFirmware", "string")),
    ...configKeys.flatMap((key) => checkRange(config, key)),
    ...checkSecretsFile(valueOf(config, "secretsFile", "string"), valueOf(config, "appDir", "string")),
    ...checkCaFile(valueOf(valueOf(config, "tls", "object"), "caFile", "string"), valueOf(config, "appDir", "string")),
  ];
}

const GITHUB_REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;

function checkRepo(repo: StaticString | undefined): Issue[] {
  if (repo === undefined || GITHUB_REPO.test(repo.value)) return [];
  const fromUrl = /github\.com[/:]([^/\s]+\/[^/\s]+?)(?:\.git)?\/?$/.exec(repo.value)?.[1];
  const hint =
    fromUrl !== undefined
      ? `write the repository alone: "${fromUrl}"`
      : 'write "owner/name", e.g. "octocat/hello-world"';
  return [error("GEN_OTA_0204", `repo "${repo.value}" is not a GitHub "owner/name"`, repo.span, hint)];
}

/** Why a device directory path is not a valid appDir, or undefined if it is. */
export function appDirProblem(path: string): string | undefined {
  if (!path.startsWith("/")) return "is not absolute";
  if (path === "/") return "is the root: the updater would replace the whole filesystem";
  if (path.endsWith("/")) return "ends with a slash";
  const segments = path.slice(1).split("/");
  if (segments.some((segment) => segment === "")) return "has an empty segment (//)";
  const dotted = segments.find((segment) => segment === "." || segment === "..");
  if (dotted !== undefined) return `has a '${dotted}' segment`;
  if (/\s/.test(path)) return "contains whitespace";
  const reserved = reservedPathOf(path);
  if (reserved !== undefined) return `is a path the updater owns: ${reserved.pattern} holds ${reserved.holds}`;
  return undefined;
}

function checkAppDir(appDir: StaticString | undefined): Issue[] {
  const problem = appDir === undefined ? undefined : appDirProblem(appDir.value);
  if (appDir === undefined || problem === undefined) return [];
  const suggestion = normalizeDir(appDir.value);
  const hint =
    suggestion !== undefined && appDirProblem(suggestion) === undefined
      ? `write "${suggestion}"`
      : 'an absolute directory on the device, e.g. "/project"';
  return [error("GEN_OTA_0205", `appDir "${appDir.value}" ${problem}`, appDir.span, hint)];
}

function normalizeDir(path: string): string | undefined {
  const segments = path.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..") || segments.length === 0) return undefined;
  return `/${segments.join("/")}`;
}

/**
 * Characters appPath may hold: it goes into the file URL unencoded (each device fills the rest of
 * it), so only those every server reads as themselves (RFC 3986's unreserved set).
 */
const APP_PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/** Why a repository path is not a valid appPath, or undefined if it is. */
export function appPathProblem(path: string): string | undefined {
  if (path === "" || path === ".") return "is the repository's root: a release would publish the config and everything else";
  if (path.startsWith("/")) return "starts with a slash: it is a path in the repository, from its root";
  if (path.includes("\\")) return "has a backslash: repository paths are /-separated";
  if (path.endsWith("/")) return "ends with a slash";
  const segments = path.split("/");
  if (segments.some((segment) => segment === "")) return "has an empty segment (//)";
  const dotted = segments.find((segment) => segment === "." || segment === "..");
  if (dotted !== undefined) return `has a '${dotted}' segment`;
  const odd = segments.find((segment) => !APP_PATH_SEGMENT.test(segment));
  if (odd !== undefined) return `has '${odd}': devices put appPath into URLs as it is, so it may hold only letters, digits and - . _ ~`;
  return undefined;
}

function checkAppPath(appPath: StaticString | undefined, appDir: StaticString | undefined): Issue[] {
  if (appPath === undefined) return checkDefaultAppPath(appDir);
  const problem = appPath === undefined ? undefined : appPathProblem(appPath.value);
  if (appPath === undefined || problem === undefined) return [];
  const segments = appPath.value.split(/[\\/]+/).filter((segment) => segment !== "" && segment !== ".");
  const suggestion = segments.join("/");
  const hint =
    suggestion !== appPath.value && appPathProblem(suggestion) === undefined
      ? `write "${suggestion}"`
      : 'the app\'s folder from the repository\'s root, e.g. "firmware/app" (not from the config file)';
  return [error("GEN_OTA_0223", `appPath "${appPath.value}" ${problem}`, appPath.span, hint)];
}

/** Without appPath, appDir's name at the repository's root is the app's folder: it must make a valid one too. */
function checkDefaultAppPath(appDir: StaticString | undefined): Issue[] {
  if (appDir === undefined || appDirProblem(appDir.value) !== undefined) return [];
  const problem = appPathProblem(defaultAppPath(appDir.value));
  if (problem === undefined) return [];
  const message = `appDir "${appDir.value}" names the app's folder in the repository too (appPath "${defaultAppPath(appDir.value)}"), which ${problem}`;
  return [error("GEN_OTA_0223", message, appDir.span, 'give the folder in the repository with appPath, e.g. appPath: "app"')];
}

function checkBoards(config: StaticObject, targets: ReadonlyMap<string, Target>): Issue[] {
  const targetNames = [...targets.keys()];
  const list = valueOf(config, "boards", "array");
  if (list === undefined) return [];
  if (list.items.length === 0) {
    return [
      error("GEN_OTA_0202", "boards is empty: name at least one board", list.span, `boards: ${targetNames.join(", ")}`),
    ];
  }
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const board of stringItems(list)) {
    if (!targets.has(board.value)) {
      const near = nearest(board.value, targetNames);
      const hint = `${near === undefined ? "" : `did you mean '${near}'? `}boards: ${targetNames.join(", ")}`;
      issues.push(error("GEN_OTA_0201", `unknown board '${board.value}'`, board.span, hint));
    } else if (seen.has(board.value)) {
      issues.push(error("GEN_OTA_0203", `board '${board.value}' is listed twice`, board.span, "remove the second one"));
    }
    seen.add(board.value);
  }
  return issues;
}

const PYTHON_KEYWORDS = new Set(
  (
    "False None True and as assert async await break class continue def del elif else except finally for from " +
    "global if import in is lambda nonlocal not or pass raise return try while with yield"
  ).split(" "),
);

function checkEntry(entry: StaticString | undefined): Issue[] {
  if (entry === undefined) return [];
  const parts = entry.value.split(".");
  const isFile = /\.m?py$/.test(entry.value);
  const valid = !isFile && parts.every((part) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) && !PYTHON_KEYWORDS.has(part));
  const reserved = valid ? reservedModuleOf(entry.value) : undefined;
  if (reserved !== undefined) {
    const message =
      reserved === "boot"
        ? `entry "${entry.value}" is the firmware's boot script's name: main.py would import /boot.py, not the app`
        : `entry "${entry.value}" is a name of the updater's own modules (${reserved}): main.py would import the updater, not the app`;
    return [error("GEN_OTA_0224", message, entry.span, 'name the app\'s module otherwise, e.g. "main" or "app.main"; the app may not ship ota*.py or boot.py at the top of appDir')];
  }
  if (valid) return [];
  const withoutSuffix = entry.value.replace(/\.(py|mpy)$/, "").replace(/\//g, ".");
  const hint =
    withoutSuffix !== entry.value
      ? `name the module, not the file: "${withoutSuffix}"`
      : 'a module name like "main" or "app.main" (a package in appDir)';
  return [error("GEN_OTA_0208", `entry "${entry.value}" is not a Python module name`, entry.span, hint)];
}

function checkTagPrefix(prefix: StaticString | undefined): Issue[] {
  if (prefix === undefined || !/[/\s]/.test(prefix.value)) return [];
  const message = `tagPrefix "${prefix.value}" contains a slash or whitespace`;
  return [
    error("GEN_OTA_0211", message, prefix.span, 'a tag prefix is what comes before the version in a tag, e.g. "v"'),
  ];
}

/** A number outside the range the schema gives its key (its `off` value is inside). */
function checkRange(config: StaticObject, key: keyof typeof configSchema): Issue[] {
  const spec = configSchema[key];
  const number = valueOf(config, key, "number");
  if (!("range" in spec) || number === undefined) return [];
  const { min, max, integer, off, code }: NumberRange = spec.range;
  const { value } = number;
  if (value === off || (value >= min && value <= max && (!integer || Number.isInteger(value)))) return [];
  const kind = integer ? "a whole number" : "a number";
  return [error(code, `${key} is ${value}: it must be ${kind} from ${min} to ${max}`, number.span, `${key}: ${min} to ${max}`)];
}

/** A MicroPython release number: "1.22" or "1.19.1". */
export const FIRMWARE_VERSION = /^\d+\.\d+(?:\.\d+)?$/;

/** GEN_OTA_0226: minFirmware names a MicroPython release. */
function checkMinFirmware(version: StaticString | undefined): Issue[] {
  if (version === undefined || FIRMWARE_VERSION.test(version.value)) return [];
  const given = /v?(\d+\.\d+(?:\.\d+)?)/.exec(version.value)?.[1];
  const hint = given ? `write the release number alone: minFirmware: "${given}"` : 'a MicroPython release number, e.g. "1.22" or "1.19.1"';
  return [error("GEN_OTA_0226", `minFirmware "${version.value}" is not a MicroPython version`, version.span, hint)];
}

/** GEN_OTA_0221: tls.caFile must be an absolute device file outside appDir and the updater's paths. */
function checkCaFile(file: StaticString | undefined, appDir: StaticString | undefined): Issue[] {
  if (file === undefined) return [];
  const path = file.value;
  const segments = path.slice(1).split("/");
  const hint = 'a file of its own on the device, e.g. "/certs/github-ca.pem"';
  if (!path.startsWith("/") || path.endsWith("/") || segments.some((part) => part === "" || part === "." || part === "..")) {
    return [error("GEN_OTA_0221", `tls.caFile "${path}" is not an absolute file path on the device`, file.span, hint)];
  }
  if (appDir !== undefined && path.startsWith(`${appDir.value}/`)) {
    return [error("GEN_OTA_0221", `tls.caFile "${path}" is inside appDir "${appDir.value}": an update could replace it`, file.span, hint)];
  }
  const reserved = reservedPathOf(path);
  if (reserved !== undefined) {
    return [error("GEN_OTA_0221", `tls.caFile "${path}" is a path the updater owns: ${reserved.pattern} holds ${reserved.holds}`, file.span, hint)];
  }
  return [];
}

function checkSecretsFile(file: StaticString | undefined, appDir: StaticString | undefined): Issue[] {
  if (file === undefined) return [];
  const path = file.value;
  const segments = path.slice(1).split("/");
  if (
    !path.startsWith("/") ||
    path.endsWith("/") ||
    segments.some((part) => part === "" || part === "." || part === "..")
  ) {
    const message = `secretsFile "${path}" is not an absolute file path`;
    return [error("GEN_OTA_0216", message, file.span, 'a file on the device, e.g. "/secrets.json"')];
  }
  if (appDir !== undefined && path.startsWith(`${appDir.value}/`)) {
    const message = `secretsFile "${path}" is inside appDir "${appDir.value}": an update would replace it`;
    return [error("GEN_OTA_0219", message, file.span, 'keep it outside appDir, e.g. "/secrets.json"')];
  }
  const reserved = reservedPathOf(path);
  if (reserved !== undefined) {
    const message = `secretsFile "${path}" is a path the updater owns: ${reserved.pattern} holds ${reserved.holds}`;
    return [error("GEN_OTA_0220", message, file.span, 'a file of its own outside the updater\'s paths, e.g. "/secrets.json"')];
  }
  return [];
}
