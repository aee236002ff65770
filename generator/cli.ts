#!/usr/bin/env node
/** The `gen-ota` bin: dispatches to a command and turns its result into the one process.exit. */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseGenerateArgs } from "./cli/args.js";
import { runGenerateCommand, type CommandIo } from "./cli/generate-command.js";
import { helpText } from "./cli/help.js";
import { runKeygenCommand } from "./cli/keygen.js";
import { ExitCode, formatDiagnostic } from "./diagnostics.js";
import { runBundleCommand } from "./bundle/command.js";
import { runInitCommand } from "./init/command.js";
import { runMpyCrossCli } from "./mpy/mpy-cross-cli.js";
import { packageVersion } from "./paths.js";
import { runReleaseCommand } from "./release/command.js";
import { runSimulateCommand } from "./simulate/command.js";

/** Runs gen-ota with argv (without node and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "release") return runReleaseCommand(rest, io);
  if (command === "mpy-cross") return runMpyCrossCli(rest, io);
  if (command === "simulate") return runSimulateCommand(rest, io);
  if (command === "bundle") return runBundleCommand(rest, io);
  if (command === "init") return runInitCommand(rest, io);
  if (command === "keygen") return runKeygenCommand(rest, io);
  const parsed = parseGenerateArgs(argv);
  if ("errors" in parsed) {
    for (const error of parsed.errors) io.stderr(`${formatDiagnostic(error)}\n`);
    return ExitCode.userError;
  }
  if (parsed.args.help) {
    io.stdout(helpText(packageVersion()));
    return ExitCode.ok;
  }
  if (parsed.args.version) {
    io.stdout(`${packageVersion()}\n`);
    return ExitCode.ok;
  }
  return runGenerateCommand(parsed.args, io);
}

async function main(): Promise<void> {
  const io: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
  };
  let code: number;
  try {
    code = await runCli(process.argv.slice(2), io);
  } catch (error) {
    io.stderr(`gen-ota: internal error, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    code = ExitCode.internal;
  }
  process.exitCode = code;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) void main();
