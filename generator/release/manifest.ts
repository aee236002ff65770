/** The release manifest devices read, and its exact bytes (docs/protocol.md, "Release assets"). */

/** One published file of appDir. */
export interface ManifestFile {
  /** Relative to appDir, `/`-separated, no `.` or `..` segments. */
  path: string;
  size: number;
  /** Lowercase hex SHA-256 of the file's bytes. */
  sha256: string;
}

/** What `ota-manifest.json` holds: the version and every file, sorted by path; a signed release also its sequence and boards. */
export interface Manifest {
  version: string;
  /** Signed releases: an integer that never goes down from one release to the next (devices refuse a lower one). */
  sequence?: number;
  /** Signed releases: the boards the release is for (devices refuse one that does not name theirs). */
  boards?: string[];
  /** A key rotation: the public keys (base64) devices trust from this release on. */
  keys?: string[];
  files: ManifestFile[];
}

/** Compact JSON, keys in protocol order (version, sequence, boards, keys, files; path, size, sha256), no trailing newline. */
export function serializeManifest(manifest: Manifest): string {
  return JSON.stringify({
    version: manifest.version,
    ...(manifest.sequence === undefined ? {} : { sequence: manifest.sequence }),
    ...(manifest.boards === undefined ? {} : { boards: manifest.boards }),
    ...(manifest.keys === undefined ? {} : { keys: manifest.keys }),
    files: manifest.files.map((file) => ({ path: file.path, size: file.size, sha256: file.sha256 })),
  });
}

/** The body of `ota-version`: the version and a newline. */
export function serializeVersion(version: string): string {
  return `${version}\n`;
}

/** Orders `/`-paths by their UTF-8 bytes, as the protocol sorts them. */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** Asset name of the manifest on a GitHub release. */
export const MANIFEST_ASSET = "ota-manifest.json";
/** Asset name of the version file on a GitHub release. */
export const VERSION_ASSET = "ota-version";
