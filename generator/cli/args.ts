/** Parses the generate command's flags; unknown flags are errors, never ignored. */
import type { Diagnostic } from "../diagnostics.js";

export interface GenerateArgs {
  boards: string[];
  config: string;
  out: string | null;
  mpy: boolean;
  check: boolean;
  help: boolean;
  version: boolean;
}

const VALUE_FLAGS = new Set(["--board", "--config", "--out"]);
const BOOLEAN_FLAGS = new Set(["--mpy", "--check", "--help", "-h", "--version", "-v"]);

/** Flags of `gen-ota [--board B]... [--config F] [--out DIR] [--mpy] [--check]`. */
export function parseGenerateArgs(argv: readonly string[]): { args: GenerateArgs } | { error: Diagnostic } {
  const args: GenerateArgs = { boards: [], config: "ota.config.ts", out: null, mpy: false, check: false, help: false, version: false };
  for (let index = 0; index < argv.length; index++) {
    const raw = argv[index] ?? "";
    const [flag, inline] = raw.startsWith("--") && raw.includes("=") ? [raw.slice(0, raw.indexOf("=")), raw.slice(raw.indexOf("=") + 1)] : [raw, undefined];
    if (VALUE_FLAGS.has(flag)) {
      const value = inline ?? argv[++index];
      if (value === undefined || value === "" || (inline === undefined && value.startsWith("-"))) {
        return { error: usageError(`${flag} needs a value`) };
      }
      if (flag === "--board") args.boards.push(...value.split(",").filter(Boolean));
      else if (flag === "--config") args.config = value;
      else args.out = value;
    } else if (BOOLEAN_FLAGS.has(flag) && inline === undefined) {
      if (flag === "--mpy") args.mpy = true;
      else if (flag === "--check") args.check = true;
      else if (flag === "--help" || flag === "-h") args.help = true;
      else args.version = true;
    } else {
      const known = [...VALUE_FLAGS, ...BOOLEAN_FLAGS].filter((name) => name.startsWith("--")).join(", ");
      return { error: usageError(`unknown argument '${raw}'`, `the flags are ${known}; commands: release, simulate, mpy-cross`) };
    }
  }
  return { args };
}

function usageError(message: string, hint = "run `gen-ota --help` for usage"): Diagnostic {
  return { code: "GEN_OTA_0901", severity: "error", message, hint };
}
