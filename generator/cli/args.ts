/** Parses the generate command's flags; unknown flags are errors, never ignored. */
import type { Diagnostic } from "../diagnostics.js";
import type { MpyAbi } from "../../targets/index.js";
import { parseMpyAbi } from "../mpy/board-abi.js";
import { describeFlagProblem, readFlags } from "../flags.js";

export interface GenerateArgs {
  boards: string[];
  config: string;
  out: string | null;
  mpy: boolean;
  /** `--mpy-abi` (which implies --mpy); null where not given. */
  mpyAbi: MpyAbi | null;
  check: boolean;
  help: boolean;
  version: boolean;
}

const FLAGS = {
  valued: ["--board", "--config", "--out", "--mpy-abi"],
  switches: ["--mpy", "--check", "--help", "-h", "--version", "-v"],
  repeatable: ["--board"],
  dashIsNotAValue: true,
};

/** Flags of `gen-ota [--board B]... [--config F] [--out DIR] [--mpy] [--mpy-abi N] [--check]`; every problem at once. */
export function parseGenerateArgs(argv: readonly string[]): { args: GenerateArgs } | { errors: Diagnostic[] } {
  const read = readFlags(argv, FLAGS);
  if (read.problems.length > 0) {
    const known = FLAGS.valued.concat(FLAGS.switches).filter((name) => name.startsWith("--")).join(", ");
    return {
      errors: read.problems.map((problem) =>
        problem.kind === "unknown"
          ? usageError(`unknown argument '${problem.arg}'`, `the flags are ${known}; commands: release, keygen, simulate, mpy-cross`)
          : usageError(describeFlagProblem(problem)),
      ),
    };
  }
  const has = (name: string) => read.switches.has(name);
  const abiValue = read.values.get("--mpy-abi")?.[0];
  const parsed = abiValue === undefined ? undefined : parseMpyAbi(abiValue);
  if (parsed && "problem" in parsed) return { errors: [usageError(parsed.problem)] };
  const mpyAbi = parsed?.abi ?? null;
  return {
    args: {
      boards: (read.values.get("--board") ?? []).flatMap((value) => value.split(",").filter(Boolean)),
      config: read.values.get("--config")?.[0] ?? "ota.config.ts",
      out: read.values.get("--out")?.[0] ?? null,
      mpy: has("--mpy") || mpyAbi !== null,
      mpyAbi,
      check: has("--check"),
      help: has("--help") || has("-h"),
      version: has("--version") || has("-v"),
    },
  };
}

function usageError(message: string, hint = "run `gen-ota --help` for usage"): Diagnostic {
  return { code: "GEN_OTA_0901", severity: "error", message, hint };
}
