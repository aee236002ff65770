/**
 * What a release publishes: the app as a git tag holds it (--tag, with the config found at the
 * tag), or an app directory on disk (--dir). Either way a source says where the app is, its
 * version, the boards it is for, and builds the release once the signing is known.
 */

import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { loadConfigFromText } from "../config/load.js";
import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { buildManifest, releaseOf, type Release, type ReleaseSigning } from "./build.js";
import { ReleaseCode } from "./codes.js";
import type { ReleaseArgs } from "./command-args.js";
import { workTreeRoot } from "./git.js";
import { sha256Bytes } from "./hash.js";
import { checkTracked } from "./tracked.js";
import { fileAtTag, readAppAtTag, tagExists } from "./tree.js";
import { taggedVersions } from "./version-index.js";

/** An app to publish. */
export interface ReleaseSource {
  /** How messages name the app: a directory as given, or `<tag>:<appPath>`. */
  shown: string;
  /** The app's folder in the working copy (an --out inside it is refused). */
  appOnDisk: string;
  version: string;
  /** The tag devices will fetch files from, when known. */
  tag?: string;
  /** Board names the release is for: --board, else (with --tag) the config's. */
  boards: string[];
  /** With --tag: the versions the repository's tags name (for ota-versions), and whether the clone is shallow. */
  tagged?: { versions: string[]; shallow: boolean };
  build(signing?: ReleaseSigning): Result<Release>;
}

/**
 * The environment a release loads the config with: every variable "set". A release reads no
 * secret, so embedSecrets must not fail for want of a value that only generating embeds.
 */
const SECRETS_NOT_READ: Readonly<Record<string, string>> = new Proxy({}, { get: () => "(not read by gen-ota release)" });

function tagProblem(message: string, hint?: string): Diagnostic {
  return { code: ReleaseCode.tag, severity: "error", message, ...(hint === undefined ? {} : { hint }) };
}

/** Path of `path` from `root`, "/"-separated. */
function repoPathOf(root: string, path: string): string {
  return relative(root, path).split(sep).join("/");
}

/** The source of `--dir D --version X`: the directory as it is on disk, checked against git where it is in a work tree. */
export function dirSource(args: ReleaseArgs, cwd: string, shownOf: (path: string) => string): ReleaseSource {
  const appOnDisk = resolve(cwd, args.dir ?? ".");
  const shown = shownOf(appOnDisk);
  return {
    shown,
    appOnDisk,
    version: args.version ?? "",
    boards: args.boards,
    build: (signing) =>
      buildManifest(appOnDisk, args.version ?? "", {
        shownDir: shown,
        links: "inside",
        checkFiles: (files) => checkTracked(appOnDisk, files, shown),
        ...(signing === undefined ? {} : { signing }),
      }),
  };
}

/**
 * The source of `--tag TAG`: the config as the tag holds it (at the path --config names in the
 * working copy), the version the tag names after the config's tagPrefix, and the app's folder
 * (appPath) in the tag's tree.
 */
export function tagSource(args: ReleaseArgs & { tag: string }, cwd: string): Result<ReleaseSource> {
  const { tag } = args;
  const configPath = resolve(cwd, args.config);
  const configDir = dirname(configPath);
  const root = existsSync(configDir) ? workTreeRoot(configDir) : undefined;
  if (root === undefined) {
    return fail([tagProblem(`--tag reads the repository the config is in, and ${args.config} is in no git work tree`, "run gen-ota release in the device repo (a clone with its tags), or give the config's path with --config")]);
  }
  if (!tagExists(root, tag)) {
    return fail([tagProblem(`tag '${tag}' is not in the repository at ${root}`, "`git tag` lists the tags; in CI, fetch them (actions/checkout with fetch-depth: 0, or git fetch --tags)")]);
  }
  const configInRepo = repoPathOf(root, join(realpathSync(configDir), basename(configPath)));
  const text = fileAtTag(root, tag, configInRepo);
  if (text === undefined) {
    return fail([tagProblem(`${tag}:${configInRepo} does not exist: the tag has no config there`, "--config names the config's path in the working copy; the tag must hold it at the same place")]);
  }
  const loaded = loadConfigFromText(text, `${tag}:${configInRepo}`, { env: SECRETS_NOT_READ, cwd: configDir });
  if (!loaded.ok) return loaded;
  const config = loaded.value;
  if (!tag.startsWith(config.tagPrefix) || tag.length === config.tagPrefix.length) {
    return fail([tagProblem(`tag '${tag}' does not start with the config's tagPrefix '${config.tagPrefix}': devices would ask for ${config.tagPrefix}<version>`, `tag releases ${config.tagPrefix}X.Y.Z, or set tagPrefix in the config`)]);
  }
  const version = tag.slice(config.tagPrefix.length);
  if (args.version !== undefined && args.version !== version) {
    return fail([tagProblem(`--version ${args.version} is not the version tag '${tag}' names (${version})`, "leave --version out: --tag gives it")]);
  }
  const shown = `${tag}:${config.appPath}`;
  return ok({
    shown,
    appOnDisk: join(root, config.appPath),
    version,
    tag,
    boards: args.boards.length > 0 ? args.boards : [...config.boards],
    tagged: taggedVersions(root, config.tagPrefix),
    build: (signing) => {
      const hidden: string[] = [];
      const files = readAppAtTag(root, tag, config.appPath, shown, (path) => hidden.push(path));
      if (!files.ok) return files;
      const hashed = files.value.map((file) => ({ path: file.path, ...sha256Bytes(file.bytes) }));
      return releaseOf(hashed, version, shown, signing, hidden);
    },
  });
}
