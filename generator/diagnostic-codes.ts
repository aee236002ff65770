/**
 * The catalogue of every gen-ota diagnostic code, each with a short title: the one place a code
 * exists. `Diagnostic.code` is typed by its keys, so a code not listed here does not compile.
 *
 * 00xx reading the config file, 01xx its keys and their types, 02xx field values,
 * 03xx cross-field rules against the boards' target records, 06xx mpy-cross, 07xx release,
 * 08xx simulate, 09xx the other commands (generate, bundle, init, keygen), 1xxx TypeScript's own
 * checks. The commands name their codes by role in their own codes.ts (e.g. `ReleaseCode.badDir`),
 * checked against this catalogue. Codes are never reused; a retired code stays here, marked so.
 */
export const diagnosticCodes = {
  GEN_OTA_0001: "config file not found or unreadable",
  GEN_OTA_0002: "syntax error in the config file",
  GEN_OTA_0003: "no default export of a config object",
  GEN_OTA_0004: "value is not static",

  GEN_OTA_0101: "unknown key",
  GEN_OTA_0102: "missing required key",
  GEN_OTA_0103: "wrong type",
  GEN_OTA_0104: "value is not one of the allowed values",
  GEN_OTA_0105: "duplicate key",

  GEN_OTA_0201: "unknown board",
  GEN_OTA_0202: "no boards",
  GEN_OTA_0203: "duplicate board",
  GEN_OTA_0204: 'repo is not "owner/name"',
  GEN_OTA_0205: "invalid appDir",
  GEN_OTA_0206: "invalid version",
  GEN_OTA_0207: "version range cannot be compiled to min/max bounds",
  GEN_OTA_0208: "entry is not a Python module name",
  GEN_OTA_0209: "trialBoots out of range",
  GEN_OTA_0210: "timeoutSeconds out of range",
  GEN_OTA_0211: "invalid tagPrefix",
  GEN_OTA_0212: "endpoint is not an http:// or https:// URL",
  GEN_OTA_0213: "endpoint lacks a required placeholder",
  GEN_OTA_0214: "endpoint has an unknown placeholder",
  GEN_OTA_0215: "invalid secret name",
  GEN_OTA_0216: "secretsFile is not an absolute file path",
  GEN_OTA_0217: "embedSecrets names a secret the config does not use",
  GEN_OTA_0218: "embedded secret's environment variable is unset",
  GEN_OTA_0219: "secretsFile inside appDir",
  GEN_OTA_0222: "trialSeconds out of range",
  GEN_OTA_0223: "invalid appPath",
  GEN_OTA_0224: "entry names one of the updater's own modules",
  GEN_OTA_0225: "Wi-Fi password written in clear into the generated files",
  GEN_OTA_0226: "minFirmware is not a MicroPython version",
  GEN_OTA_0230: "no signing: which releases devices accept is not said",
  GEN_OTA_0231: "signing key is not a base64 Ed25519 public key",
  GEN_OTA_0232: "signing names no public key and does not allow unsigned releases",
  GEN_OTA_0233: "signing key listed twice",
  GEN_OTA_0234: "signing.publicKeysFile cannot be read",
  GEN_OTA_0220: "secretsFile is a path the updater owns",
  GEN_OTA_0221: "invalid tls.caFile",

  GEN_OTA_0301: "token sent in clear over http://",
  GEN_OTA_0302: "https:// endpoint on a board without TLS",
  GEN_OTA_0303: "https:// endpoint on a board with unreliable TLS",
  GEN_OTA_0304: "wifi on a board without Wi-Fi",
  GEN_OTA_0305: "the updater cannot fit the board's heap budget",
  GEN_OTA_0306: "devices accept unsigned releases",
  GEN_OTA_0307: "tls.caFile on a board that cannot check certificates, or without https:// endpoints",
  GEN_OTA_0308: "token sent over TLS whose certificate is not checked",

  GEN_OTA_0601: "mpy-cross: syntax error in the source",
  GEN_OTA_0602: "mpy-cross: unknown -march architecture for this ABI",
  /** mpy-cross failed without a traceback, or its WebAssembly module did not load. */
  GEN_OTA_0603: "mpy-cross: the tool failed",
  GEN_OTA_0604: "mpy-cross: bytes without a .mpy header",
  GEN_OTA_0605: "mpy-cross: bad command line",
  GEN_OTA_0606: "mpy-cross: a source cannot be read or an output written",

  GEN_OTA_0701: "release: --version is not a semver version",
  GEN_OTA_0702: "release: --dir is not a directory",
  GEN_OTA_0703: "release: a file path has a character device filesystems refuse",
  /** Two paths that differ only in case are one file on FAT. */
  GEN_OTA_0704: "release: two paths differ only in case",
  GEN_OTA_0705: "release: nothing to publish",
  /** A file or directory that cannot be read, or an entry that is neither (socket, device, link loop). */
  GEN_OTA_0706: "release: an entry cannot be read",
  GEN_OTA_0707: "release: the release files cannot be written",
  GEN_OTA_0708: "release: bad command line",
  /** A signing key that cannot be read, or is not an Ed25519 private key. */
  GEN_OTA_0709: "release: bad signing key",
  /** Not ASCII, or a character devices put into the URL unencoded that servers may read otherwise. */
  GEN_OTA_0710: "release: a file name devices cannot fetch",
  /** git serves a link's target path as its contents, and a submodule not at all. */
  GEN_OTA_0711: "release: a symbolic link or submodule where devices expect a file",
  /** Untracked or ignored: devices fetch files from the tag, where it is not. */
  GEN_OTA_0712: "release: a file git does not track",
  /** targets/: flash.budgetBytes, maxManifestBytes. */
  GEN_OTA_0713: "release: the app or its manifest is over a board's budget",
  GEN_OTA_0714: "release: the tag, its config or its app folder cannot be read",
  GEN_OTA_0715: "release: a path every device would refuse (the updater's own name, too long, or sharing a name key)",

  GEN_OTA_0801: "simulate: bad command line",
  GEN_OTA_0802: "simulate: a version cannot be read or built",
  GEN_OTA_0803: "simulate: board not in the config",
  GEN_OTA_0804: "simulate: runtime not available",

  GEN_OTA_0901: "gen-ota: bad command line",
  GEN_OTA_0902: "gen-ota: --board names a board the config does not",
  GEN_OTA_0903: "gen-ota: --mpy for a board whose firmware cannot import .mpy, or without the --mpy-abi it needs",
  GEN_OTA_0904: "gen-ota: the output directory cannot be written",
  GEN_OTA_0905: "bundle: bad input (flags, a board the config does not name, --mpy where it cannot run)",
  GEN_OTA_0906: "init: bad input (flags, or a file it would write exists already)",
  GEN_OTA_0911: "keygen: bad command line",
  /** A commit would publish the private key. */
  GEN_OTA_0912: "keygen: --out is inside a git work tree and not gitignored",
  /** It exists (keygen never overwrites a key), or the directory is not writable. */
  GEN_OTA_0913: "keygen: a key file cannot be written",

  GEN_OTA_1001: "TypeScript type error",
  GEN_OTA_1002: "TypeScript cannot resolve an import",
} as const;

/** A code of the catalogue, e.g. "GEN_OTA_0101". */
export type DiagnosticCode = keyof typeof diagnosticCodes;
