/** Diagnostic codes of `gen-ota release` (GEN_OTA_07xx). */
export const ReleaseCode = {
  /** --version is not a semver version. */
  badVersion: "GEN_OTA_0701",
  /** --dir does not exist or is not a directory. */
  badDir: "GEN_OTA_0702",
  /** A file path with a character a device filesystem refuses. */
  badPath: "GEN_OTA_0703",
  /** Two paths that differ only in case: one file on FAT. */
  caseClash: "GEN_OTA_0704",
  /** Nothing to publish. */
  noFiles: "GEN_OTA_0705",
  /** A file or directory that cannot be read, or an entry that is neither (socket, device, link loop). */
  unreadable: "GEN_OTA_0706",
  /** The manifest or version file cannot be written. */
  writeFailed: "GEN_OTA_0707",
  /** A command-line usage error of `gen-ota release`. */
  usage: "GEN_OTA_0708",
  /** A signing key that cannot be read, or is not an Ed25519 private key. */
  signKey: "GEN_OTA_0709",
} as const;
