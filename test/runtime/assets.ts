/**
 * The two release assets of docs/protocol.md, computed for the test server with the generator's
 * own manifest code (generator/release), so tests and `gen-ota release` share one serialization.
 */

import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { publicKeyBase64 } from "../../generator/keys.js";
import { comparePaths, serializeManifest, serializeVersion, type ManifestFile } from "../../generator/release/manifest.js";
import { SIGNATURE_ASSET, signatureFile } from "../../generator/release/sign.js";
import { targetNames } from "../../targets/index.js";

/** The key test releases are signed with unless they say otherwise (a new one per test process). */
export const TEST_SIGNING_KEY: KeyObject = generateKeyPairSync("ed25519").privateKey;
/** Its public key, base64: what testConfig() puts in signing.publicKeys. */
export const TEST_PUBLIC_KEY = publicKeyBase64(TEST_SIGNING_KEY);

/** How a test release is signed; by default with TEST_SIGNING_KEY, for every board, at sequenceOf(version). */
export interface ReleaseSigning {
  /** Keys that sign it; [] leaves out ota-manifest.sig (an unsigned release). */
  signers?: KeyObject[];
  sequence?: number;
  boards?: string[];
  /** A key rotation: the public keys devices trust from this release on. */
  keys?: string[];
}

/** A sequence that grows with the version: major * 1e6 + minor * 1e3 + patch, a prerelease one less. */
export function sequenceOf(version: string): number {
  const [core = "", pre] = version.split("-", 2);
  const [major = 0, minor = 0, patch = 0] = core.split(".").map(Number);
  return major * 1_000_000 + minor * 1000 + patch - (pre === undefined ? 0 : 1);
}

/** A release as the test server publishes it; file paths are relative to appDir. */
export interface Release {
  version: string;
  /** Default `v<version>`. */
  tag?: string;
  prerelease?: boolean;
  files: Record<string, Buffer | string>;
  signing?: ReleaseSigning;
}

/** `ota-version`, `ota-manifest.json` and `ota-manifest.sig` of a release, as published bytes (hidden files left out, as `gen-ota release` does). */
export function releaseAssets(release: Release): Record<string, Buffer> {
  const files: ManifestFile[] = Object.entries(release.files)
    .filter(([path]) => !path.split("/").some((segment) => segment.startsWith(".")))
    .map(([path, content]) => {
      const bytes = toBuffer(content);
      return { path, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
    })
    .sort((a, b) => comparePaths(a.path, b.path));
  const signing = release.signing ?? {};
  const signers = signing.signers ?? [TEST_SIGNING_KEY];
  if (signers.length === 0 && signing.sequence === undefined) {
    return {
      "ota-version": Buffer.from(serializeVersion(release.version)),
      "ota-manifest.json": Buffer.from(serializeManifest({ version: release.version, files })),
    };
  }
  const manifest = serializeManifest({
    version: release.version,
    sequence: signing.sequence ?? sequenceOf(release.version),
    boards: signing.boards ?? [...targetNames],
    ...(signing.keys ? { keys: signing.keys } : {}),
    files,
  });
  return {
    "ota-version": Buffer.from(serializeVersion(release.version)),
    "ota-manifest.json": Buffer.from(manifest),
    ...(signers.length > 0 ? { [SIGNATURE_ASSET]: Buffer.from(signatureFile(manifest, signers)) } : {}),
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
