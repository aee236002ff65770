/** The command line of `gen-ota release`, parsed into values or usage diagnostics. */

import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { describeFlagProblem, readFlags } from "../cli/flags.js";
import { ReleaseCode } from "./codes.js";

/** The parsed command line of `gen-ota release`. */
export interface ReleaseArgs {
  /** --help was given: print the usage and do nothing else. */
  help: boolean;
  dir?: string;
  version?: string;
  out?: string;
}

/** The usage text, printed by --help. */
export const RELEASE_USAGE = `Usage: gen-ota release --dir <appDir> --version X [--out DIR]

Writes the two files devices read to the release tagged <tagPrefix>X (default prefix "v"):
  ota-manifest.json   the version, and each file of appDir: path, size, sha256
  ota-version         the version and a newline

Options:
  --dir <appDir>   the app directory on disk (hidden files and __pycache__ are left out)
  --version X      the release's semver version, without the tag's "v" (e.g. 1.4.2)
  --out DIR        where to write both files (default: the current directory)
  -h, --help       show this help
`;

const FLAGS = { valued: ["--dir", "--version", "--out"], switches: ["-h", "--help"] };

function usageError(message: string): Diagnostic {
  return { code: ReleaseCode.usage, severity: "error", message, hint: "run gen-ota release --help for the usage" };
}

/** Parses `argv` (the arguments after `release`); `--flag value` and `--flag=value` both work. */
export function parseReleaseArgs(argv: readonly string[]): Result<ReleaseArgs> {
  const read = readFlags(argv, FLAGS);
  const first = (flag: string) => read.values.get(flag)?.[0];
  const args: ReleaseArgs = { help: read.switches.size > 0, dir: first("--dir"), version: first("--version"), out: first("--out") };
  if (args.help) return ok(args);
  const problems = read.problems.map((problem) => usageError(describeFlagProblem(problem)));
  if (!read.given.has("--dir")) problems.push(usageError("--dir <appDir> is required"));
  if (!read.given.has("--version")) problems.push(usageError("--version X is required"));
  return problems.length > 0 ? fail(problems) : ok(args);
}
