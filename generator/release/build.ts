/** Builds a release from an app directory: the manifest, and the exact bytes of both release files. */

import type { KeyObject } from "node:crypto";
import { statSync } from "node:fs";
import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { checkPaths, checkVersion } from "./checks.js";
import { ReleaseCode } from "./codes.js";
import { hashFile } from "./hash.js";
import { comparePaths, serializeManifest, serializeVersion, type Manifest, type ManifestFile } from "./manifest.js";
import { signatureFile } from "./sign.js";
import { listAppFiles } from "./walk.js";

/** A built release: the manifest and the bytes of `ota-manifest.json` and `ota-version`. */
export interface Release {
  manifest: Manifest;
  /** Body of `ota-version`: `X\n`. */
  versionText: string;
  /** Body of `ota-manifest.json`: compact JSON in protocol key order. */
  manifestJson: string;
  /** Body of `ota-manifest.sig` when signed: one "<public key> <signature>" line per key (base64). */
  signatureText?: string;
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

/** How buildManifest presents what it finds. */
export interface BuildOptions {
  /** How messages name `dir` (default: `dir` as given), e.g. relative to the user's working directory. */
  shownDir?: string;
  /** Sign with these keys: the manifest then carries `sequence` and `boards` (required), and `keys` for a rotation. */
  signing?: { keys: readonly KeyObject[]; sequence: number; boards: readonly string[]; newKeySet?: readonly string[] };
}

/** Walks `dir`, hashes every published file, and serializes the manifest and version for `version`. */
export function buildManifest(dir: string, version: string, options: BuildOptions = {}): Result<Release> {
  const shownRoot = (options.shownDir ?? dir).replace(/(.)\/+$/, "$1");
  const problems = [...checkVersion(version), ...checkDir(dir, shownRoot)];
  if (problems.some((problem) => problem.code === ReleaseCode.badDir)) return fail(problems);
  const listed = listAppFiles(dir, shownRoot);
  if (!listed.ok) return fail([...problems, ...listed.diagnostics]);
  const found = [...listed.value].sort((a, b) => comparePaths(a.path, b.path));
  problems.push(...checkPaths(found.map((file) => file.path), shownRoot));
  if (found.length === 0) {
    problems.push({
      code: ReleaseCode.noFiles,
      severity: "error",
      message: `${shownRoot} has no files to publish`,
      hint: "hidden files and __pycache__ are left out; point --dir at the app directory",
    });
  }
  if (problems.length > 0) return fail(problems);
  const files: ManifestFile[] = [];
  for (const file of found) {
    try {
      files.push({ path: file.path, ...hashFile(file.absolute) });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push({ code: ReleaseCode.unreadable, severity: "error", message: `cannot read ${shownRoot}/${file.path}: ${reason}` });
    }
  }
  if (problems.length > 0) return fail(problems);
  const signing = options.signing;
  const manifest: Manifest =
    signing === undefined
      ? { version, files }
      : { version, sequence: signing.sequence, boards: [...signing.boards], ...(signing.newKeySet ? { keys: [...signing.newKeySet] } : {}), files };
  const manifestJson = serializeManifest(manifest);
  const release: Release = { manifest, versionText: serializeVersion(version), manifestJson };
  if (signing !== undefined) release.signatureText = signatureFile(manifestJson, signing.keys);
  return ok(release);
}
