/**
 * What a signed release's signature covers (docs/protocol.md, "Signatures"): the domain tag
 * "gen-ota release v1\n" followed by the SHA-256 of the exact bytes of `ota-manifest.json`.
 * The manifest names the version, the sequence, the boards, any new key set and every file's
 * path, size and sha256, so the signature binds all of them; devices hash the bytes they were
 * served and check the signature before they stage anything.
 */

import { createHash, sign, verify, type KeyObject } from "node:crypto";
import { publicKeyBase64, publicKeyObject } from "../keys.js";

/** The domain tag: a signature for anything else never verifies as a release's. */
export const SIGNATURE_DOMAIN = "gen-ota release v1\n";

/** Asset name of the signatures beside `ota-manifest.json`. */
export const SIGNATURE_ASSET = "ota-manifest.sig";

/** The bytes an Ed25519 signature of a release signs: the domain tag and the manifest's SHA-256. */
export function signedMessage(manifestBytes: Buffer | string): Buffer {
  const digest = createHash("sha256").update(manifestBytes).digest();
  return Buffer.concat([Buffer.from(SIGNATURE_DOMAIN, "ascii"), digest]);
}

/** The body of `ota-manifest.sig`: one line per key, "<public key base64> <signature base64>". */
export function signatureFile(manifestBytes: Buffer | string, privateKeys: readonly KeyObject[]): string {
  const message = signedMessage(manifestBytes);
  return privateKeys.map((key) => `${publicKeyBase64(key)} ${sign(null, message, key).toString("base64")}\n`).join("");
}

/** True when `signatureBase64` is `publicKey`'s signature of the release whose manifest is `manifestBytes`. */
export function verifyRelease(manifestBytes: Buffer | string, publicKey: string, signatureBase64: string): boolean {
  return verify(null, signedMessage(manifestBytes), publicKeyObject(publicKey), Buffer.from(signatureBase64, "base64"));
}
