/** Ed25519 keys as gen-ota writes them: public keys as base64 of their 32 raw bytes, private keys as PKCS#8 PEM. */

import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";

/** Bytes of a raw Ed25519 public key. */
export const PUBLIC_KEY_BYTES = 32;

/** Why `text` is not a base64 Ed25519 public key (44 characters, 32 bytes), or undefined if it is one. */
export function publicKeyProblem(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text)) {
    return `is not 44 characters of base64 (${text.length} characters)`;
  }
  if (Buffer.from(text, "base64").length !== PUBLIC_KEY_BYTES) return `does not decode to ${PUBLIC_KEY_BYTES} bytes`;
  try {
    publicKeyObject(text);
  } catch {
    return "is not an Ed25519 public key";
  }
  return undefined;
}

/** A KeyObject for a base64 raw public key; throws if it is none. */
export function publicKeyObject(base64: string): KeyObject {
  const x = Buffer.from(base64, "base64").toString("base64url");
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
}

/** The base64 raw public key of an Ed25519 key (private or public). */
export function publicKeyBase64(key: KeyObject): string {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: "jwk" });
  if (jwk.crv !== "Ed25519" || typeof jwk.x !== "string") throw new Error("not an Ed25519 key");
  return Buffer.from(jwk.x, "base64url").toString("base64");
}

/** An Ed25519 private key from PEM text (PKCS#8, as keygen writes it), or why it is not one. */
export function parsePrivateKey(pem: string): { key: KeyObject } | { problem: string } {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    return { problem: "is not a PEM private key (gen-ota keygen writes one)" };
  }
  if (key.asymmetricKeyType !== "ed25519") return { problem: `is a ${key.asymmetricKeyType ?? "unknown"} key, not Ed25519` };
  return { key };
}

/** A new key pair: the private key as PKCS#8 PEM, the public key as base64. */
export function generateSigningKey(): { privatePem: string; publicKey: string } {
  const { privateKey } = generateKeyPairSync("ed25519");
  return {
    privatePem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicKey: publicKeyBase64(privateKey),
  };
}
