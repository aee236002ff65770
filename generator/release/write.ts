/** Writes a release's files into a directory, each atomically (temp file, then rename). */

import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fail, ok, type Result } from "../diagnostics.js";
import type { Release } from "./build.js";
import { ReleaseCode } from "./codes.js";
import { MANIFEST_ASSET, VERSION_ASSET } from "./manifest.js";
import { SIGNATURE_ASSET } from "./sign.js";
import { VERSIONS_ASSET } from "./version-index.js";

/** Where writeRelease put the files. */
export interface WrittenRelease {
  manifestPath: string;
  versionPath: string;
  /** `ota-manifest.sig`, for a signed release. */
  signaturePath?: string;
  /** `ota-versions`, when an index was given. */
  indexPath?: string;
}

/** Writes `text` to `path` through a temp file beside it, so a reader sees the old file or the new one. */
function writeAtomically(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text, "utf8");
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Writes `ota-manifest.json` (and `ota-manifest.sig` when signed), then `ota-version`, into
 * `outDir` (created if missing), and `ota-versions` when `indexText` is given.
 */
export function writeRelease(outDir: string, release: Release, indexText?: string): Result<WrittenRelease> {
  const manifestPath = join(outDir, MANIFEST_ASSET);
  const versionPath = join(outDir, VERSION_ASSET);
  const indexPath = join(outDir, VERSIONS_ASSET);
  try {
    mkdirSync(outDir, { recursive: true });
    writeAtomically(manifestPath, release.manifestJson);
    if (release.signatureText !== undefined) writeAtomically(join(outDir, SIGNATURE_ASSET), release.signatureText);
    else rmSync(join(outDir, SIGNATURE_ASSET), { force: true }); // never a stale signature beside a new manifest
    writeAtomically(versionPath, release.versionText);
    if (indexText !== undefined) writeAtomically(indexPath, indexText);
    else rmSync(indexPath, { force: true }); // never another release's index beside this one
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail([{ code: ReleaseCode.writeFailed, severity: "error", message: `cannot write the release files to ${outDir}: ${reason}` }]);
  }
  return ok({
    manifestPath,
    versionPath,
    ...(release.signatureText === undefined ? {} : { signaturePath: join(outDir, SIGNATURE_ASSET) }),
    ...(indexText === undefined ? {} : { indexPath }),
  });
}
