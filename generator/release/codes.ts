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
  /** A file name devices cannot fetch: not ASCII, or a character they put into the URL unencoded that servers may read otherwise. */
  unfetchable: "GEN_OTA_0710",
  /** A symbolic link (or a submodule) where devices expect a file: git serves the link, not what it points at. */
  link: "GEN_OTA_0711",
  /** A file git does not track (untracked or ignored): devices fetch files from the tag, where it is not. */
  untracked: "GEN_OTA_0712",
  /** An app, or its manifest, over what a board accepts (targets/: flash.budgetBytes, maxManifestBytes). */
  overBudget: "GEN_OTA_0713",
  /** --tag: the tag, the config at the tag or the app's folder in it cannot be read. */
  tag: "GEN_OTA_0714",
} as const;
