/** The command line of `gen-ota release`, parsed into values or usage diagnostics. */

import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { describeFlagProblem, readFlags } from "../flags.js";
import { ReleaseCode } from "./codes.js";
import { publicKeyProblem } from "../keys.js";

/** The parsed command line of `gen-ota release`. */
export interface ReleaseArgs {
  /** --help was given: print the usage and do nothing else. */
  help: boolean;
  /** --dir: the app directory on disk (the working copy). */
  dir?: string;
  /** --tag: build from the git tree at this tag, with the config found there. */
  tag?: string;
  /** --config: the config file (with --tag), default ota.config.ts. */
  config: string;
  version?: string;
  out?: string;
  /** --sign-key FILE: PEM private keys to sign with. */
  signKeyFiles: string[];
  /** --sign-key-env NAME: environment variables holding PEM private keys. */
  signKeyEnvs: string[];
  /** --board B: the boards a signed release is for (with --tag, default the config's), and whose budgets it must fit. */
  boards: string[];
  /** --sequence N; undefined: derived from the clock when signing. */
  sequence?: number;
  /** --rotate-keys K,K: the public keys devices trust from this release on. */
  rotateKeys?: string[];
}

/** The usage text, printed by --help. */
export const RELEASE_USAGE = `Usage: gen-ota release --tag TAG [--config F] [--out DIR]
                       [--sign-key FILE | --sign-key-env NAME]... [--board B]... [--sequence N]
                       [--rotate-keys KEY,KEY...]
       gen-ota release --dir <appDir> --version X [--out DIR] [--sign-key ...] [--board B]...

Writes the files devices read to the release tagged <tagPrefix>X (default prefix "v"):
  ota-manifest.json   the version, and each file of appDir: path, size, sha256
                      (signed: also the sequence, the boards, and any new key set)
  ota-manifest.sig    signed releases: "<public key> <Ed25519 signature>" per key, over
                      "gen-ota release v1\\n" + sha256(ota-manifest.json)
  ota-version         the version and a newline

Refused, each naming the path: symbolic links and submodules, files git does not track,
names devices cannot fetch (not ASCII, or [ ] { } ^ \`), an app or manifest over a board's budget.

Options:
  --tag TAG             build from the git tree at TAG (never the working copy): the config
                        there gives the tag prefix (the version is TAG without it), the app's
                        folder (appPath) and the boards
  --config F            the config, in the working copy's layout (default ota.config.ts); read
                        as it is at TAG
  --dir <appDir>        instead of --tag: the app directory on disk (hidden files and
                        __pycache__ are left out); in a git work tree, every file must be
                        tracked, and no link may leave it
  --version X           the release's semver version, without the tag's "v" (e.g. 1.4.2);
                        required with --dir, checked against TAG with --tag
  --out DIR             where to write the files (default: the current directory)
  --sign-key FILE       sign with the PEM private key in FILE (gen-ota keygen writes one)
  --sign-key-env NAME   sign with the PEM private key in environment variable NAME (a CI secret)
  --board B             a board the release is for (repeat, or a,b): a signed release names
                        them, and the app must fit each one's flash; with --tag, default the
                        config's boards
  --sequence N          the signed sequence number, a whole number that must not go down from
                        one release to the next; default: the current Unix time in seconds
  --rotate-keys K,K     the public keys (base64) devices trust from this release on; sign it
                        with a key they trust now
  -h, --help            show this help
`;

const FLAGS = {
  valued: ["--dir", "--tag", "--config", "--version", "--out", "--sign-key", "--sign-key-env", "--board", "--sequence", "--rotate-keys"],
  switches: ["-h", "--help"],
  repeatable: ["--sign-key", "--sign-key-env", "--board"],
};

function usageError(message: string, hint = "run gen-ota release --help for the usage"): Diagnostic {
  return { code: ReleaseCode.usage, severity: "error", message, hint };
}

/** Parses `argv` (the arguments after `release`); `--flag value` and `--flag=value` both work. */
export function parseReleaseArgs(argv: readonly string[]): Result<ReleaseArgs> {
  const read = readFlags(argv, FLAGS);
  const first = (flag: string) => read.values.get(flag)?.[0];
  const all = (flag: string) => read.values.get(flag) ?? [];
  const args: ReleaseArgs = {
    help: read.switches.size > 0,
    dir: first("--dir"),
    tag: first("--tag"),
    config: first("--config") ?? "ota.config.ts",
    version: first("--version"),
    out: first("--out"),
    signKeyFiles: all("--sign-key"),
    signKeyEnvs: all("--sign-key-env"),
    boards: all("--board").flatMap((value) => value.split(",").filter(Boolean)),
  };
  if (args.help) return ok(args);
  const problems = read.problems.map((problem) => usageError(describeFlagProblem(problem)));
  const fromTag = read.given.has("--tag");
  if (fromTag && read.given.has("--dir")) problems.push(usageError("--tag and --dir are two ways to say what to publish: give one", "--tag TAG publishes the app as the tag holds it, which is what devices fetch"));
  else if (!fromTag && !read.given.has("--dir")) problems.push(usageError("--tag TAG (or --dir <appDir> --version X) is required"));
  if (!fromTag && !read.given.has("--version")) problems.push(usageError("--version X is required with --dir"));
  if (!fromTag && read.given.has("--config")) problems.push(usageError("--config is read with --tag only", "--tag TAG reads the config as it is at the tag"));
  const signing = args.signKeyFiles.length + args.signKeyEnvs.length > 0;
  const sequence = first("--sequence");
  if (sequence !== undefined) {
    if (!/^\d{1,15}$/.test(sequence)) problems.push(usageError(`--sequence ${sequence} is not a whole number`, "a number that grows from one release to the next, e.g. 42"));
    else args.sequence = Number(sequence);
  }
  const rotate = first("--rotate-keys");
  if (rotate !== undefined) {
    args.rotateKeys = rotate.split(",").map((key) => key.trim()).filter(Boolean);
    for (const key of args.rotateKeys) {
      const problem = publicKeyProblem(key);
      if (problem !== undefined) problems.push(usageError(`--rotate-keys: '${key}' ${problem}`, "public keys as gen-ota keygen prints them, comma-separated"));
    }
    if (args.rotateKeys.length === 0) problems.push(usageError("--rotate-keys names no key"));
  }
  if (!signing) {
    for (const flag of ["--sequence", "--rotate-keys"]) {
      if (read.given.has(flag)) problems.push(usageError(`${flag} is part of a signed release`, "add --sign-key FILE or --sign-key-env NAME"));
    }
  } else if (args.boards.length === 0 && !fromTag) {
    problems.push(usageError("a signed release names its boards: --board B is required", "e.g. --board esp8266 --board esp32 (the boards of ota.config.ts)"));
  }
  return problems.length > 0 ? fail(problems) : ok(args);
}
