/** Builds a release from an app's files: the manifest, and the exact bytes of the release files. */

import type { KeyObject } from "node:crypto";
import { statSync } from "node:fs";
import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { checkPaths, checkVersion } from "./checks.js";
import { ReleaseCode } from "./codes.js";
import { hashFile } from "./hash.js";
import { comparePaths, serializeManifest, serializeVersion, type Manifest, type ManifestFile } from "./manifest.js";
import { signatureFile } from "./sign.js";
import { listAppFiles, type AppFile, type WalkOptions } from "./walk.js";

/** A built release: the manifest and the bytes of `ota-manifest.json` and `ota-version`. */
export interface Release {
  manifest: Manifest;
  /** Body of `ota-version`: `X\n`. */
  versionText: string;
  /** Body of `ota-manifest.json`: compact JSON in protocol key order. */
  manifestJson: string;
  /** Body of `ota-manifest.sig` when signed: one "<public key> <signature>" line per key (base64). */
  signatureText?: string;
  /** Hidden entries of the app left out (devices refuse such names), a folder's with a trailing "/". */
  hidden: string[];
}

/** Problems with `dir` as an app directory. */
function checkDir(dir: string, shownDir: string): Diagnostic[] {
  try {
    if (statSync(dir).isDirectory()) return [];
    return [{ code: ReleaseCode.badDir, severity: "error", message: `${shownDir} is not a directory`, hint: "--dir names the app directory to publish" }];
  } catch {
    return [{ code: ReleaseCode.badDir, severity: "error", message: `${shownDir} does not exist`, hint: "--dir names the app directory to publish" }];
  }
}

/** What signs a release: the manifest then carries `sequence` and `boards` (required), and `keys` for a rotation. */
export interface ReleaseSigning {
  keys: readonly KeyObject[];
  sequence: number;
  boards: readonly string[];
  newKeySet?: readonly string[];
}

/** How buildManifest presents what it finds. */
export interface BuildOptions {
  /** How messages name `dir` (default: `dir` as given), e.g. relative to the user's working directory. */
  shownDir?: string;
  /** Sign with these keys. */
  signing?: ReleaseSigning;
  /** How symbolic links under `dir` are treated (see listAppFiles); default: followed. */
  links?: WalkOptions["links"];
  /** Further checks of the files found, before any is read (the release command's git checks). */
  checkFiles?: (files: readonly AppFile[]) => Diagnostic[];
}

/** Walks `dir`, hashes every published file, and serializes the manifest and version for `version`. */
export function buildManifest(dir: string, version: string, options: BuildOptions = {}): Result<Release> {
  const shownRoot = (options.shownDir ?? dir).replace(/(.)\/+$/, "$1");
  // problems found before the files' own are reported with the version's, all at once
  const refuse = (problems: Diagnostic[]): Result<Release> => fail([...checkVersion(version), ...problems]);
  const dirProblems = checkDir(dir, shownRoot);
  if (dirProblems.length > 0) return refuse(dirProblems);
  const hidden: string[] = [];
  const listed = listAppFiles(dir, shownRoot, { ...(options.links === undefined ? {} : { links: options.links }), onHidden: (path) => hidden.push(path) });
  if (!listed.ok) return refuse(listed.diagnostics);
  const checked = options.checkFiles?.(listed.value) ?? [];
  if (checked.length > 0) return refuse(checked);
  const files: ManifestFile[] = [];
  const unreadable: Diagnostic[] = [];
  for (const file of listed.value) {
    try {
      files.push({ path: file.path, ...hashFile(file.absolute) });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      unreadable.push({ code: ReleaseCode.unreadable, severity: "error", message: `cannot read ${shownRoot}/${file.path}: ${reason}` });
    }
  }
  if (unreadable.length > 0) return refuse(unreadable);
  return releaseOf(files, version, shownRoot, options.signing, hidden);
}

/**
 * The release of files already hashed (from a directory or a git tree): the version's and the
 * paths' checks, then the manifest, in path order, and its signature. `shownRoot` names where the
 * files came from in messages.
 */
export function releaseOf(found: readonly ManifestFile[], version: string, shownRoot: string, signing?: ReleaseSigning, hidden: readonly string[] = []): Result<Release> {
  const files = [...found].sort((a, b) => comparePaths(a.path, b.path));
  const problems = [...checkVersion(version), ...checkPaths(files.map((file) => file.path), shownRoot)];
  if (files.length === 0) {
    problems.push({
      code: ReleaseCode.noFiles,
      severity: "error",
      message: `${shownRoot} has no files to publish`,
      hint: "hidden files and __pycache__ are left out; is it the app's folder (--dir, or appPath in the config with --tag)?",
    });
  }
  if (problems.length > 0) return fail(problems);
  const manifest: Manifest =
    signing === undefined
      ? { version, files }
      : { version, sequence: signing.sequence, boards: [...signing.boards], ...(signing.newKeySet ? { keys: [...signing.newKeySet] } : {}), files };
  const manifestJson = serializeManifest(manifest);
  const release: Release = { manifest, versionText: serializeVersion(version), manifestJson, hidden: [...hidden].sort() };
  if (signing !== undefined) release.signatureText = signatureFile(manifestJson, signing.keys);
  return ok(release);
}
