/**
 * The two release assets of docs/protocol.md, computed for the test server. Kept apart so it
 * can later be swapped for the generator's own manifest code (generator/release).
 */

import { createHash } from "node:crypto";

/** A release as the test server publishes it; file paths are relative to appDir. */
export interface Release {
  version: string;
  /** Default `v<version>`. */
  tag?: string;
  prerelease?: boolean;
  files: Record<string, Buffer | string>;
}

/** `ota-version` and `ota-manifest.json` of a release, as published bytes. */
export function releaseAssets(release: Release): Record<string, Buffer> {
  const files = Object.entries(release.files)
    .filter(([path]) => !path.split("/").some((segment) => segment.startsWith(".")))
    .map(([path, content]) => {
      const bytes = toBuffer(content);
      return { path, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
    })
    .sort((a, b) => Buffer.compare(Buffer.from(a.path, "utf8"), Buffer.from(b.path, "utf8")));
  return {
    "ota-version": Buffer.from(`${release.version}\n`),
    "ota-manifest.json": Buffer.from(JSON.stringify({ version: release.version, files })),
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
