/** The command line of `gen-ota release`, parsed into values or usage diagnostics. */

import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
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

const VALUED = ["--dir", "--version", "--out"] as const;
type Valued = (typeof VALUED)[number];
const KEYS: Record<Valued, "dir" | "version" | "out"> = { "--dir": "dir", "--version": "version", "--out": "out" };

function usageError(message: string): Diagnostic {
  return { code: ReleaseCode.usage, severity: "error", message, hint: "run gen-ota release --help for the usage" };
}

/** Parses `argv` (the arguments after `release`); `--flag value` and `--flag=value` both work. */
export function parseReleaseArgs(argv: readonly string[]): Result<ReleaseArgs> {
  const args: ReleaseArgs = { help: false };
  const problems: Diagnostic[] = [];
  const mentioned = new Set<Valued>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "-h" || arg === "--help") {
      args.help = true;
      continue;
    }
    const equals = arg.indexOf("=");
    const flag = equals >= 0 ? arg.slice(0, equals) : arg;
    const valued = VALUED.find((name) => name === flag);
    if (valued === undefined) {
      problems.push(usageError(arg.startsWith("-") ? `unknown option '${flag}'` : `unexpected argument '${arg}'`));
      continue;
    }
    mentioned.add(valued);
    const value = equals >= 0 ? arg.slice(equals + 1) : argv[++i];
    const key = KEYS[valued];
    if (value === undefined || value === "") problems.push(usageError(`${valued} needs a value`));
    else if (args[key] !== undefined) problems.push(usageError(`${valued} is given twice`));
    else args[key] = value;
  }
  if (args.help) return ok(args);
  if (!mentioned.has("--dir")) problems.push(usageError("--dir <appDir> is required"));
  if (!mentioned.has("--version")) problems.push(usageError("--version X is required"));
  return problems.length > 0 ? fail(problems) : ok(args);
}
