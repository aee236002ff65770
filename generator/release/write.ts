/** Writes a release's two files into a directory, each atomically (temp file, then rename). */

import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fail, ok, type Result } from "../diagnostics.js";
import type { Release } from "./build.js";
import { ReleaseCode } from "./codes.js";
import { MANIFEST_ASSET, VERSION_ASSET } from "./manifest.js";
import { SIGNATURE_ASSET } from "./sign.js";

/** Where writeRelease put the files. */
export interface WrittenRelease {
  manifestPath: string;
  versionPath: string;
  /** `ota-manifest.sig`, for a signed release. */
  signaturePath?: string;
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

/** Writes `ota-manifest.json` (and `ota-manifest.sig` when signed), then `ota-version`, into `outDir` (created if missing). */
export function writeRelease(outDir: string, release: Release): Result<WrittenRelease> {
  const manifestPath = join(outDir, MANIFEST_ASSET);
  const versionPath = join(outDir, VERSION_ASSET);
  try {
    mkdirSync(outDir, { recursive: true });
    writeAtomically(manifestPath, release.manifestJson);
    if (release.signatureText !== undefined) writeAtomically(join(outDir, SIGNATURE_ASSET), release.signatureText);
    else rmSync(join(outDir, SIGNATURE_ASSET), { force: true }); // never a stale signature beside a new manifest
    writeAtomically(versionPath, release.versionText);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail([{ code: ReleaseCode.writeFailed, severity: "error", message: `cannot write the release files to ${outDir}: ${reason}` }]);
  }
  return ok(release.signatureText === undefined ? { manifestPath, versionPath } : { manifestPath, versionPath, signaturePath: join(outDir, SIGNATURE_ASSET) });
}
