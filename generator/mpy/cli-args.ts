/** The command line of gen-ota-mpy-cross, parsed into values or a usage diagnostic. */

import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { MpyCode } from "./codes.js";
import { MPY_CROSS_ARCHES, type MpyAbi } from "./compile.js";

/** The parsed command line of gen-ota-mpy-cross. */
export interface MpyCrossArgs {
  /** --help was given: print the usage and do nothing else. */
  help: boolean;
  abi: MpyAbi;
  arch?: string;
  /** -o: the output file, only with a single input. */
  out?: string;
  /** The .py files, as given. */
  inputs: string[];
}

/** The usage text, printed by --help. */
export const MPY_CROSS_USAGE = `Usage: gen-ota-mpy-cross [--abi 5|6] [-march=ARCH] [-o OUT] file.py...

Compiles MicroPython source files to .mpy with the real mpy-cross (WebAssembly builds from npm).
Each file.py is written as file.mpy beside it, or to OUT when there is a single input.

Options:
  --abi 5|6      .mpy version: 5 for MicroPython 1.12-1.18, 6 for 1.19 and later (default 6)
  -march=ARCH    architecture for native code (x86, x64, armv6, armv6m, armv7m, armv7em,
                 armv7emsp, armv7emdp, xtensa, xtensawin); bytecode does not depend on it
  -o OUT         output file (one input only)
  -h, --help     show this help

Exit codes: 0 compiled, 2 a compile or usage error, 3 mpy-cross itself failed.
`;

function usageError(message: string, hint = "run gen-ota-mpy-cross --help for the usage"): Diagnostic {
  return { code: MpyCode.usage, severity: "error", message, hint };
}

/** Parses `argv` (the arguments after the program name). */
export function parseMpyCrossArgs(argv: readonly string[]): Result<MpyCrossArgs> {
  const args: MpyCrossArgs = { help: false, abi: 6, inputs: [] };
  const problems: Diagnostic[] = [];
  let flagsDone = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (flagsDone || !arg.startsWith("-") || arg === "-") {
      args.inputs.push(arg);
    } else if (arg === "--") {
      flagsDone = true;
    } else if (arg === "-h" || arg === "--help") {
      args.help = true;
    } else if (arg === "--abi" || arg.startsWith("--abi=")) {
      const value = arg === "--abi" ? argv[++i] : arg.slice("--abi=".length);
      if (value === "5" || value === "6") args.abi = Number(value) as MpyAbi;
      else problems.push(usageError(`--abi takes 5 or 6, not ${value === undefined ? "nothing" : `'${value}'`}`));
    } else if (arg.startsWith("-march=")) {
      const value = arg.slice("-march=".length);
      if (value === "") problems.push(usageError("-march= needs an architecture name"));
      else args.arch = value;
    } else if (arg === "-o") {
      const value = argv[++i];
      if (value === undefined || value === "") problems.push(usageError("-o needs an output file"));
      else args.out = value;
    } else {
      problems.push(usageError(`unknown option '${arg}'`));
    }
  }
  if (args.help) return ok(args);
  if (args.inputs.length === 0) problems.push(usageError("no input file given"));
  const arches = MPY_CROSS_ARCHES[args.abi];
  if (args.arch !== undefined && !arches.includes(args.arch)) {
    problems.push({
      code: MpyCode.unknownArch,
      severity: "error",
      message: `mpy-cross for ABI ${args.abi} has no architecture '${args.arch}'`,
      hint: `use one of ${arches.join(", ")}`,
    });
  }
  if (args.out !== undefined && args.inputs.length > 1) {
    problems.push(usageError("-o names one output, but several inputs were given", "drop -o: each file.py is written as file.mpy beside it"));
  }
  return problems.length > 0 ? fail(problems) : ok(args);
}
