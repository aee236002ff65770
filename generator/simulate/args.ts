/** The command line of `gen-ota simulate`, parsed into values or usage diagnostics. */

import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { describeFlagProblem, readFlags } from "../flags.js";
import { SimulateCode } from "./codes.js";

/** The parsed command line. */
export interface SimulateArgs {
  help: boolean;
  board?: string;
  config: string;
  from?: string;
  to?: string;
  fromVersion?: string;
  toVersion?: string;
  /** null: no cuts; "all": every write; N: that write. */
  powerCut: number | "all" | null;
  runtime: "embedded" | "unix";
  micropython?: string;
  /** Longest a boot may run before the simulator resets the board (an app that never confirms). */
  bootTimeoutSeconds: number;
}

/** --boot-timeout's default: long enough for an update on the slowest runtime, short enough for CI. */
export const DEFAULT_BOOT_TIMEOUT_SECONDS = 60;

/** The usage text, printed by --help. */
export const SIMULATE_USAGE = `Usage: gen-ota simulate --board B [--config F] --from <dir|tag> --to <dir|tag>
                        [--power-cut N|all] [--runtime embedded|unix] [--micropython PATH]
                        [--boot-timeout SECONDS]

Runs the board's generated updater on MicroPython against a local GitHub-like server that
publishes both versions, and reports each boot: check, download file by file, switch, confirm;
requests and bytes; the heap against the board's budget; and a verdict.

Options:
  --board B            a board of the config (default: its only board)
  --config F           the config file (default ./ota.config.ts)
  --from X, --to X     a directory holding the app, or a git tag of the repo (its appPath at that tag)
  --from-version V     the version of a --from directory (a tag names its own: tagPrefix + version)
  --to-version V       the version of a --to directory
  --power-cut N|all    cut the power at block write N of the update (or at each), boot until a
                       boot writes nothing (at most 8), and report old / new / broken for each cut
  --runtime R          embedded (default: MicroPython 1.27 on WebAssembly, npm only) or unix
  --micropython PATH   the unix port binary for --runtime unix (default $GEN_OTA_MICROPYTHON, then micropython on PATH)
  --boot-timeout S     a boot still running after S seconds (default ${DEFAULT_BOOT_TIMEOUT_SECONDS}) is reset, as a watchdog
                       would: an app that never confirms counts towards rollback like one that stops
  -h, --help           show this help

Exit codes: 0 the board ends on the new version, confirmed, within its heap budget (and every cut
ends there too); 1 it does not; 2 bad input; 3 internal error.
`;

const FLAGS = {
  valued: ["--board", "--config", "--from", "--to", "--from-version", "--to-version", "--power-cut", "--runtime", "--micropython", "--boot-timeout"],
  switches: ["-h", "--help"],
};

function usageError(message: string): Diagnostic {
  return { code: SimulateCode.usage, severity: "error", message, hint: "run gen-ota simulate --help for the usage" };
}

/** Parses `argv` (the arguments after `simulate`); `--flag value` and `--flag=value` both work. */
export function parseSimulateArgs(argv: readonly string[]): Result<SimulateArgs> {
  const read = readFlags(argv, FLAGS);
  const last = (flag: string) => read.values.get(flag)?.at(-1);
  const args: SimulateArgs = {
    help: read.switches.size > 0,
    board: last("--board"),
    config: last("--config") ?? "ota.config.ts",
    from: last("--from"),
    to: last("--to"),
    fromVersion: last("--from-version"),
    toVersion: last("--to-version"),
    micropython: last("--micropython"),
    powerCut: null,
    runtime: "embedded",
    bootTimeoutSeconds: DEFAULT_BOOT_TIMEOUT_SECONDS,
  };
  const problems = read.problems.map((problem) => usageError(describeFlagProblem(problem)));
  const runtime = last("--runtime");
  if (runtime === "embedded" || runtime === "unix") args.runtime = runtime;
  else if (runtime !== undefined) problems.push(usageError(`--runtime ${runtime}: use embedded or unix`));
  const powerCut = last("--power-cut");
  if (powerCut === "all") args.powerCut = "all";
  else if (powerCut !== undefined && /^\d+$/.test(powerCut) && Number(powerCut) >= 1) args.powerCut = Number(powerCut);
  else if (powerCut !== undefined) problems.push(usageError(`--power-cut ${powerCut}: use a write number from 1, or all`));
  const bootTimeout = last("--boot-timeout");
  if (bootTimeout !== undefined && /^\d+$/.test(bootTimeout) && Number(bootTimeout) >= 1 && Number(bootTimeout) <= 3600) args.bootTimeoutSeconds = Number(bootTimeout);
  else if (bootTimeout !== undefined) problems.push(usageError(`--boot-timeout ${bootTimeout}: use whole seconds from 1 to 3600`));
  if (args.help) return ok(args);
  if (args.from === undefined) problems.push(usageError("--from <dir|tag> is required"));
  if (args.to === undefined) problems.push(usageError("--to <dir|tag> is required"));
  if (args.micropython !== undefined && args.runtime !== "unix") problems.push(usageError("--micropython is for --runtime unix"));
  return problems.length > 0 ? fail(problems) : ok(args);
}
