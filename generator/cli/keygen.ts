/** `gen-ota keygen`: a new Ed25519 signing key pair; the private key never lands in a repository. */

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import type { DiagnosticCode } from "../diagnostic-codes.js";
import { ExitCode, formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { generateSigningKey } from "../keys.js";
import { describeFlagProblem, readFlags } from "../flags.js";

/** Diagnostic codes of `gen-ota keygen` by role; titled in generator/diagnostic-codes.ts. */
export const KeygenCode = {
  usage: "GEN_OTA_0911",
  inRepository: "GEN_OTA_0912",
  writeFailed: "GEN_OTA_0913",
} as const satisfies Record<string, DiagnosticCode>;

export const KEYGEN_USAGE = `Usage: gen-ota keygen (--out FILE | --stdout) [--public-out FILE]

Writes a new Ed25519 key pair for signing releases.
  --out FILE         the private key (PEM), mode 0600; never overwritten, and refused inside a
                     git work tree unless the path is gitignored
  --stdout           print the private key instead (pipe it into your CI's secret store)
  --public-out FILE  also write the public key to FILE, for signing.publicKeysFile
  -h, --help         show this help
`;

/** Where keygen writes, and what it reads to decide. */
export interface KeygenIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}

const FLAGS = { valued: ["--out", "--public-out"], switches: ["--stdout", "-h", "--help"] };

function problem(code: DiagnosticCode, message: string, hint?: string): Diagnostic {
  return hint === undefined ? { code, severity: "error", message } : { code, severity: "error", message, hint };
}

/** Why `path` must not hold a private key: inside a git work tree and not ignored; undefined if it may. */
function repositoryProblem(path: string): string | undefined {
  const git = (args: string[]): boolean => {
    try {
      execFileSync("git", ["-C", dirname(path), ...args], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  if (!git(["rev-parse", "--is-inside-work-tree"])) return undefined;
  if (git(["check-ignore", "-q", path])) return undefined;
  return "is inside a git work tree and not gitignored: a commit would publish the private key";
}

/** Writes a new file, refusing to replace one; `mode` applies to the new file. */
function writeNew(path: string, text: string, mode: number): string | undefined {
  try {
    writeFileSync(path, text, { flag: "wx", mode });
    return undefined;
  } catch (error) {
    const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
    return code === "EEXIST" ? "exists: gen-ota keygen never overwrites a key" : error instanceof Error ? error.message : String(error);
  }
}

/** Runs `gen-ota keygen` on `argv` (after `keygen`); resolves to the exit code. */
export async function runKeygenCommand(argv: readonly string[], io: KeygenIo): Promise<number> {
  const report = (diagnostics: readonly Diagnostic[]): number => {
    for (const diagnostic of diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
    return ExitCode.userError;
  };
  const read = readFlags(argv, FLAGS);
  if (read.switches.has("-h") || read.switches.has("--help")) {
    io.stdout(KEYGEN_USAGE);
    return ExitCode.ok;
  }
  const usage = read.problems.map((p) => problem(KeygenCode.usage, describeFlagProblem(p), "run gen-ota keygen --help for the usage"));
  const out = read.values.get("--out")?.[0];
  const toStdout = read.switches.has("--stdout");
  if ((out === undefined) === !toStdout) {
    usage.push(problem(KeygenCode.usage, "give exactly one of --out FILE and --stdout", "--out writes the private key to a file, --stdout prints it for a CI secret"));
  }
  if (usage.length > 0) return report(usage);
  const privatePath = out === undefined ? undefined : resolve(io.cwd, out);
  if (privatePath !== undefined) {
    const inRepo = repositoryProblem(privatePath);
    if (inRepo !== undefined) {
      return report([problem(KeygenCode.inRepository, `--out ${out} ${inRepo}`, "write it outside the repository (e.g. ~/.config/gen-ota/), or gitignore the path first")]);
    }
  }
  const pair = generateSigningKey();
  const publicOut = read.values.get("--public-out")?.[0];
  if (privatePath !== undefined) {
    const failed = writeNew(privatePath, pair.privatePem, 0o600);
    if (failed !== undefined) return report([problem(KeygenCode.writeFailed, `cannot write --out ${out}: ${failed}`)]);
  }
  if (publicOut !== undefined) {
    const failed = writeNew(resolve(io.cwd, publicOut), `${pair.publicKey}\n`, 0o644);
    if (failed !== undefined) return report([problem(KeygenCode.writeFailed, `cannot write --public-out ${publicOut}: ${failed}`)]);
  }
  if (toStdout) io.stdout(pair.privatePem);
  const say = toStdout ? io.stderr : io.stdout;
  const shown = (path: string) => relative(io.cwd, resolve(io.cwd, path)) || path;
  say(
    [
      `public key: ${pair.publicKey}`,
      privatePath !== undefined ? `private key: ${shown(privatePath)} (mode 0600; keep it out of every repository)` : "private key: printed on stdout (store it as a CI secret, e.g. OTA_SIGNING_KEY)",
      "next:",
      publicOut !== undefined
        ? `  1. in ota.config.ts: signing: { publicKeysFile: "${shown(publicOut)}" } (path relative to the config), then run gen-ota`
        : `  1. in ota.config.ts: signing: { publicKeys: ["${pair.publicKey}"] } (add a second, offline backup key too), then run gen-ota`,
      privatePath !== undefined
        ? `  2. sign each release: gen-ota release --dir <appDir> --version X --board <board> --sign-key ${shown(privatePath)}`
        : "  2. in CI: gen-ota release --dir <appDir> --version X --board <board> --sign-key-env OTA_SIGNING_KEY",
      "  3. attach ota-manifest.json, ota-manifest.sig and ota-version to the release",
      "",
    ].join("\n"),
  );
  return ExitCode.ok;
}
