/**
 * The two release assets of docs/protocol.md, computed for the test server with the generator's
 * own manifest code (generator/release), so tests and `gen-ota release` share one serialization.
 */

import { createHash } from "node:crypto";
import { comparePaths, serializeManifest, serializeVersion, type ManifestFile } from "../../generator/release/manifest.js";

/** A release as the test server publishes it; file paths are relative to appDir. */
export interface Release {
  version: string;
  /** Default `v<version>`. */
  tag?: string;
  prerelease?: boolean;
  files: Record<string, Buffer | string>;
}

/** `ota-version` and `ota-manifest.json` of a release, as published bytes (hidden files left out, as `gen-ota release` does). */
export function releaseAssets(release: Release): Record<string, Buffer> {
  const files: ManifestFile[] = Object.entries(release.files)
    .filter(([path]) => !path.split("/").some((segment) => segment.startsWith(".")))
    .map(([path, content]) => {
      const bytes = toBuffer(content);
      return { path, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
    })
    .sort((a, b) => comparePaths(a.path, b.path));
  return {
    "ota-version": Buffer.from(serializeVersion(release.version)),
    "ota-manifest.json": Buffer.from(serializeManifest({ version: release.version, files })),
  };
}

/** The release's tag: its own, or `v<version>`. */
export function releaseTag(release: Release): string {
  return release.tag ?? `v${release.version}`;
}

/** Strings are UTF-8. */
export function toBuffer(content: Buffer | string): Buffer {
  return typeof content === "string" ? Buffer.from(content, "utf8") : content;
}
