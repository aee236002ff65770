/**
 * The two versions a simulation moves between, each a directory on disk or a git tag of the device
 * repo (the app's folder, appPath, as the tag holds it: what devices fetch), built into a release
 * with generator/release.
 */

import { existsSync, readFileSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import semver from "semver";
import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { buildManifest, releaseOf, type Release, type ReleaseSigning } from "../release/build.js";
import { ReleaseCode } from "../release/codes.js";
import { workTreeRoot } from "../release/git.js";
import { sha256Bytes } from "../release/hash.js";
import { SIGNATURE_ASSET } from "../release/sign.js";
import { readAppAtTag } from "../release/tree.js";
import { listAppFiles } from "../release/walk.js";
import { SimulateCode } from "./codes.js";
import type { SiteRelease } from "./github.js";

/** A version ready to publish and to flash. */
export interface SimRelease extends SiteRelease {
  /** Where it came from, for the report: a directory or `tag vX (git)`. */
  source: string;
  /** sha256 of each published file, by path. */
  hashes: Record<string, string>;
  manifestJson: string;
}

/** Where a version comes from, as given on the command line. */
export interface VersionSpec {
  /** A directory, or a git tag of the repo holding the config. */
  from: string;
  /** The version, for a directory (a tag names its own). */
  version?: string;
}

function problem(message: string, hint?: string): Diagnostic {
  return { code: SimulateCode.version, severity: "error", message, ...(hint ? { hint } : {}) };
}

/** The app's files as `tag` holds them in the folder `appPath` of the repository `repoDir` lies in. */
function filesAtTag(tag: string, appPath: string, repoDir: string): Result<Record<string, Uint8Array>> {
  const root = workTreeRoot(repoDir);
  if (root === undefined) {
    return fail([problem(`'${tag}' is not a directory, and ${repoDir} is not in a git repository to find it as a tag`, "pass a directory, or run inside the device repo")]);
  }
  const read = readAppAtTag(root, tag, appPath);
  // a tag, config or folder that cannot be read is simulate's 0802; a link in the tag keeps release's code
  if (!read.ok) return fail(read.diagnostics.map((d) => (d.code === ReleaseCode.tag ? { ...d, code: SimulateCode.version } : d)));
  return ok(Object.fromEntries(read.value.map((file) => [file.path, new Uint8Array(file.bytes)])));
}

/** Builds the release for `spec`: a directory (with its version) or a tag (`tagPrefix` + version). */
export function loadVersion(
  spec: VersionSpec,
  options: { cwd: string; appPath: string; repoDir: string; tagPrefix: string; signing?: ReleaseSigning },
): Result<SimRelease> {
  const signing = options.signing === undefined ? {} : { signing: options.signing };
  const asDir = resolve(options.cwd, spec.from);
  if (existsSync(asDir) && statSync(asDir).isDirectory()) {
    const source = relative(options.cwd, asDir) || ".";
    if (spec.version === undefined) return fail([problem(`${source} is a directory: its version is not known`, "give it with --from-version X / --to-version X")]);
    const built = buildManifest(asDir, spec.version, { shownDir: source, ...signing });
    if (!built.ok) return built;
    const listed = listAppFiles(asDir);
    if (!listed.ok) return listed;
    const files = Object.fromEntries(listed.value.map((file) => [file.path, new Uint8Array(readFileSync(file.absolute))]));
    return ok(simRelease(built.value, files, source, options.tagPrefix));
  }
  // a tag: the app as the tag holds it at appPath, where devices fetch it from
  const files = filesAtTag(spec.from, options.appPath, options.repoDir);
  if (!files.ok) return files;
  const source = `tag ${spec.from}`;
  const version = spec.version ?? (spec.from.startsWith(options.tagPrefix) ? spec.from.slice(options.tagPrefix.length) : spec.from);
  const hashed = Object.entries(files.value).map(([path, bytes]) => ({ path, ...sha256Bytes(bytes) }));
  const built = releaseOf(hashed, version, `${spec.from}:${options.appPath}`, options.signing);
  if (!built.ok) return built;
  return ok(simRelease(built.value, files.value, source, options.tagPrefix));
}

function simRelease(release: Release, files: Record<string, Uint8Array>, source: string, tagPrefix: string): SimRelease {
  const { manifest, manifestJson, versionText, signatureText } = release;
  return {
    tag: `${tagPrefix}${manifest.version}`,
    version: manifest.version,
    prerelease: semver.prerelease(manifest.version) !== null,
    assets: {
      "ota-version": Buffer.from(versionText),
      "ota-manifest.json": Buffer.from(manifestJson),
      ...(signatureText === undefined ? {} : { [SIGNATURE_ASSET]: Buffer.from(signatureText) }),
    },
    files,
    source,
    hashes: Object.fromEntries(manifest.files.map((file) => [file.path, file.sha256])),
    manifestJson,
  };
}
