/** Size and SHA-256 of a file, read in fixed chunks so a large file never sits in memory whole. */

import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";

const CHUNK_BYTES = 64 * 1024;

/** Reads `file` chunk by chunk; throws what the filesystem throws. */
export function hashFile(file: string): { size: number; sha256: string } {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const fd = openSync(file, "r");
  let size = 0;
  try {
    for (let read = readSync(fd, buffer, 0, CHUNK_BYTES, null); read > 0; read = readSync(fd, buffer, 0, CHUNK_BYTES, null)) {
      hash.update(buffer.subarray(0, read));
      size += read;
    }
  } finally {
    closeSync(fd);
  }
  return { size, sha256: hash.digest("hex") };
}

/** Size and SHA-256 of bytes already in memory (a blob read from git). */
export function sha256Bytes(bytes: Uint8Array): { size: number; sha256: string } {
  return { size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
}
