/** The main command: load the config, render each board, then write, or compare for --check. */
import { existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { targets, type MpyAbi, type Target } from "../../targets/index.js";
import { budgetReport } from "../budget.js";
import { loadConfig } from "../config/load.js";
import type { ResolvedConfig } from "../config/resolved.js";
import { ExitCode, formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { generateBoard } from "../generate.js";
import { chooseMpyAbi } from "../mpy/board-abi.js";
import { compileMpy } from "../mpy/compile.js";
import { checkBoardFolder, leftoverBoardFolders, removeBoardFolder, stampOf, writeBoardFolder } from "../board-folder.js";
import type { OutputFile } from "../output.js";
import { packageVersion } from "../paths.js";
import type { GenerateArgs } from "./args.js";

export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** Runs `gen-ota [--board B] [--config F] [--out DIR] [--mpy] [--check]`; resolves to the exit code. */
export async function runGenerateCommand(args: GenerateArgs, io: CommandIo): Promise<number> {
  const report = (diagnostics: readonly Diagnostic[]) => {
    for (const diagnostic of diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
  };
  const configPath = relative(io.cwd, resolve(io.cwd, args.config)) || args.config;
  const loaded = loadConfig(configPath, { env: io.env, cwd: io.cwd });
  if (!loaded.ok) {
    report(loaded.diagnostics);
    return ExitCode.userError;
  }
  report(loaded.warnings);
  const config = loaded.value;
  const chosen = chooseBoards(args.boards, config);
  if ("error" in chosen) {
    report([chosen.error]);
    return ExitCode.userError;
  }
  const outDir = resolve(io.cwd, args.out ?? join(dirname(configPath), "device"));
  const unusable = args.check ? undefined : outputProblem(outDir, io.cwd);
  if (unusable) {
    report([unusable]);
    return ExitCode.userError;
  }
  let stale = 0;
  for (const target of chosen.targets) {
    const files = await boardFiles(config, target, args.mpy ? args.mpyAbi ?? "default" : null);
    if ("diagnostics" in files) {
      report(files.diagnostics);
      // a flag that does not fit the board is the user's; generated code that mpy-cross refuses is gen-ota's bug
      return files.diagnostics.every((d) => d.code === "GEN_OTA_0903") ? ExitCode.userError : ExitCode.internal;
    }
    const boardDir = join(outDir, target.name);
    const stamp = stampOf(`gen-ota ${packageVersion()}`, target.name, args.mpy, files.files);
    if (args.check) {
      stale += reportFindings(boardDir, files.files, stamp, io);
    } else {
      try {
        for (const path of writeBoardFolder(boardDir, files.files, stamp)) io.stdout(`removed ${shown(io, join(boardDir, path))} (gen-ota no longer produces it)\n`);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === undefined || !WRITE_ERRORS.has(code)) throw error;
        report([{ code: "GEN_OTA_0904", severity: "error", message: `cannot write ${relative(io.cwd, boardDir) || "."}/: ${(error as Error).message}`, hint: "choose a writable directory with --out" }]);
        return ExitCode.userError;
      }
      const tls = target.has.ssl && Object.values(config.endpoints).some((url) => url.startsWith("https://"));
      io.stdout(`wrote ${relative(io.cwd, boardDir) || "."}/\n${budgetReport(target, files.files, { tls, signing: { keys: config.signing.publicKeys.length, allowUnsigned: config.signing.allowUnsigned }, ...(config.minFirmware ? { minFirmware: config.minFirmware } : {}) })}\n`);
    }
  }
  // a folder of a board the config no longer names; only a run for every board decides that
  const leftovers = args.boards.length === 0 ? leftoverBoardFolders(outDir, config.boards) : [];
  for (const board of leftovers) {
    const folder = join(outDir, board);
    if (args.check) {
      stale++;
      io.stdout(`extra folder: ${shown(io, folder)}/ (${board} is not in the config's boards)\n`);
    } else {
      removeBoardFolder(folder);
      io.stdout(`removed ${shown(io, folder)}/ (${board} is not in the config's boards)\n`);
    }
  }
  if (args.check) {
    io.stdout(stale ? `${stale} generated file(s) out of date: run gen-ota without --check and commit them\n` : "generated files are up to date\n");
    return stale ? ExitCode.stale : ExitCode.ok;
  }
  return ExitCode.ok;
}

function shown(io: CommandIo, path: string): string {
  return relative(io.cwd, path) || ".";
}

/** Errors of writing the output that the user can fix (a path, a permission, a full disk), not gen-ota's bugs. */
const WRITE_ERRORS = new Set(["ENOTDIR", "EACCES", "EPERM", "EEXIST", "EROFS", "ENOSPC", "EISDIR"]);

/** Why `outDir` cannot hold the output (it, or a parent of it, is a file), if it cannot. */
function outputProblem(outDir: string, cwd: string): Diagnostic | undefined {
  for (let dir = outDir; ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      if (statSync(dir).isDirectory()) return undefined;
      const shown = relative(cwd, dir) || dir;
      return {
        code: "GEN_OTA_0904",
        severity: "error",
        message: `--out ${relative(cwd, outDir) || outDir}: ${shown} is a file, not a directory`,
        hint: "--out names the directory that gets one folder per board, e.g. --out device",
      };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function chooseBoards(asked: readonly string[], config: ResolvedConfig): { targets: Target[] } | { error: Diagnostic } {
  const names = asked.length ? asked : config.boards;
  const chosen: Target[] = [];
  for (const name of names) {
    const target = targets.get(name);
    if (!target || !config.boards.includes(target.name as ResolvedConfig["boards"][number])) {
      return {
        error: {
          code: "GEN_OTA_0902",
          severity: "error",
          message: `--board ${name}: ${config.configPath} does not name this board`,
          hint: `its boards are ${config.boards.join(", ")}; add '${name}' to boards to generate for it`,
        },
      };
    }
    chosen.push(target);
  }
  return { targets: chosen };
}

/**
 * The .py files of a board, and with `mpy` (an ABI from --mpy-abi, or "default": the board's one)
 * a deployable mpy/ folder (modules as .mpy, main.py as source).
 */
export async function boardFiles(config: ResolvedConfig, target: Target, mpy: MpyAbi | "default" | null): Promise<{ files: OutputFile[] } | { diagnostics: Diagnostic[] }> {
  const sources = generateBoard(config, target);
  const files: OutputFile[] = sources.map((file) => ({ path: file.name, contents: file.contents }));
  if (mpy === null) return { files };
  const chosen = chooseMpyAbi(target, mpy === "default" ? null : mpy, config.minFirmware);
  if ("problem" in chosen) return { diagnostics: [{ code: "GEN_OTA_0903", severity: "error", message: chosen.problem, hint: chosen.hint }] };
  for (const file of sources) {
    if (file.name === "main.py") {
      files.push({ path: "mpy/main.py", contents: file.contents }); // the firmware runs main.py from source
      continue;
    }
    const compiled = await compileMpy(String(file.contents), file.name, chosen);
    if (!compiled.ok) return { diagnostics: compiled.diagnostics };
    files.push({ path: `mpy/${file.name.replace(/\.py$/, ".mpy")}`, contents: compiled.value });
  }
  return { files };
}

/** Prints what --check found in one board folder; the number of findings. */
function reportFindings(boardDir: string, files: readonly OutputFile[], stamp: ReturnType<typeof stampOf>, io: CommandIo): number {
  const findings = checkBoardFolder(boardDir, files, stamp);
  for (const finding of findings) {
    io.stdout(`${finding.status}: ${shown(io, join(boardDir, finding.path))}${finding.why ? ` (${finding.why})` : ""}\n`);
  }
  return findings.length;
}
