#!/usr/bin/env node
/** gen-ota-mpy-cross: compiles .py files to .mpy for mpy ABI 5 or 6; also behind `gen-ota mpy-cross`. */

import { realpathSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ExitCode, formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { MPY_CROSS_USAGE, parseMpyCrossArgs } from "./cli-args.js";
import { MpyCode } from "./codes.js";
import { compileMpy } from "./compile.js";

/** Where a command writes, and the directory relative paths start from. */
export interface CliIo {
  /** Receives text as it should appear, newlines included. */
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}

/** `dir/file.py` → `dir/file.mpy`; a name without `.py` gets `.mpy` appended. */
export function mpyPathFor(input: string): string {
  return input.endsWith(".py") ? `${input.slice(0, -".py".length)}.mpy` : `${input}.mpy`;
}

function ioError(message: string): Diagnostic {
  return { code: MpyCode.io, severity: "error", message };
}

/** Compiles one input and writes its .mpy; returns the problems met. */
async function compileFile(input: string, output: string, abi: 5 | 6, arch: string | undefined, cwd: string): Promise<Diagnostic[]> {
  let source: string;
  try {
    source = await readFile(resolve(cwd, input), "utf8");
  } catch (error) {
    return [ioError(`cannot read ${input}: ${error instanceof Error ? error.message : String(error)}`)];
  }
  const compiled = await compileMpy(source, input, arch === undefined ? { abi } : { abi, arch });
  if (!compiled.ok) return compiled.diagnostics;
  try {
    await writeFile(resolve(cwd, output), compiled.value);
  } catch (error) {
    return [ioError(`cannot write ${output}: ${error instanceof Error ? error.message : String(error)}`)];
  }
  return [];
}

/** Runs gen-ota-mpy-cross on `argv` (the arguments after the program name); resolves to the exit code. */
export async function runMpyCrossCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseMpyCrossArgs(argv);
  if (!parsed.ok) {
    for (const diagnostic of parsed.diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
    return ExitCode.userError;
  }
  const args = parsed.value;
  if (args.help) {
    io.stdout(MPY_CROSS_USAGE);
    return ExitCode.ok;
  }
  const problems: Diagnostic[] = [];
  for (const input of args.inputs) {
    problems.push(...(await compileFile(input, args.out ?? mpyPathFor(input), args.abi, args.arch, io.cwd)));
  }
  for (const diagnostic of problems) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
  if (problems.some((diagnostic) => diagnostic.code === MpyCode.toolFailure)) return ExitCode.internal;
  return problems.length > 0 ? ExitCode.userError : ExitCode.ok;
}

/** True when this file is the program node was started with (through npx's symlink too). */
function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  void runMpyCrossCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
  })
    .catch((error: unknown) => {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`gen-ota-mpy-cross: internal error: ${detail}\n`);
      return ExitCode.internal;
    })
    .then((code) => process.exit(code));
}
