/** `gen-ota release`: builds the manifest of an app directory and writes the release files. */

import { isAbsolute, relative, resolve, sep } from "node:path";
import { ExitCode, formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { buildManifest } from "./build.js";
import { ReleaseCode } from "./codes.js";
import { parseReleaseArgs, RELEASE_USAGE } from "./command-args.js";
import { writeRelease } from "./write.js";

/** Where a command writes, and the directory relative paths start from. */
export interface ReleaseIo {
  /** Receives text as it should appear, newlines included. */
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}

/** True when `inner` is `outer` or below it (both absolute). */
function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** `path` relative to `cwd` when it is inside it, else absolute. */
function shown(path: string, cwd: string): string {
  return isWithin(path, cwd) ? relative(cwd, path) || "." : path;
}

/** Runs `gen-ota release` on `argv` (the arguments after `release`); resolves to the exit code. */
export async function runReleaseCommand(argv: readonly string[], io: ReleaseIo): Promise<number> {
  const report = (diagnostics: readonly Diagnostic[]): void => {
    for (const diagnostic of diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
  };
  const parsed = parseReleaseArgs(argv);
  if (!parsed.ok) {
    report(parsed.diagnostics);
    return ExitCode.userError;
  }
  const { help, dir = ".", version = "", out = "." } = parsed.value;
  if (help) {
    io.stdout(RELEASE_USAGE);
    return ExitCode.ok;
  }
  const appDir = resolve(io.cwd, dir);
  const outDir = resolve(io.cwd, out);
  if (isWithin(outDir, appDir)) {
    report([
      {
        code: ReleaseCode.usage,
        severity: "error",
        message: `--out ${shown(outDir, io.cwd)} is inside the app directory: the next release would publish its own manifest`,
        hint: "pass --out with a directory outside --dir",
      },
    ]);
    return ExitCode.userError;
  }
  const built = buildManifest(appDir, version, { shownDir: shown(appDir, io.cwd) });
  if (!built.ok) {
    report(built.diagnostics);
    return ExitCode.userError;
  }
  report(built.warnings);
  const written = writeRelease(outDir, built.value);
  if (!written.ok) {
    report(written.diagnostics);
    return ExitCode.userError;
  }
  const { files } = built.value.manifest;
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  io.stdout(
    [
      `release ${version}: ${files.length} file${files.length === 1 ? "" : "s"}, ${bytes} bytes from ${shown(appDir, io.cwd)}`,
      `  wrote ${shown(written.value.manifestPath, io.cwd)}`,
      `  wrote ${shown(written.value.versionPath, io.cwd)}`,
      `attach both to the GitHub release tagged v${version} (or your tagPrefix + ${version})`,
      "",
    ].join("\n"),
  );
  return ExitCode.ok;
}
