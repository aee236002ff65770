/** `gen-ota release`: builds the manifest of the app at a tag (or in a directory), checks it against the boards, and writes the release files. */

import { isAbsolute, relative, resolve, sep } from "node:path";
import { targets, type Target } from "../../targets/index.js";
import { ExitCode, formatDiagnostic, ok, type Diagnostic } from "../diagnostics.js";
import { checkBudgets } from "./budgets.js";
import { ReleaseCode } from "./codes.js";
import { parseReleaseArgs, RELEASE_USAGE } from "./command-args.js";
import { dirSource, tagSource } from "./source.js";
import { writeRelease } from "./write.js";
import { parsePrivateKey, publicKeyBase64 } from "./keys.js";
import type { ReleaseArgs } from "./command-args.js";
import type { KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";

/** Where a command writes, and the directory relative paths start from. */
export interface ReleaseIo {
  /** Receives text as it should appear, newlines included. */
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /** Where --sign-key-env reads keys; default none. */
  env?: Record<string, string | undefined>;
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
  const refuse = (diagnostics: readonly Diagnostic[]): number => {
    report(diagnostics);
    return ExitCode.userError;
  };
  const parsed = parseReleaseArgs(argv);
  if (!parsed.ok) return refuse(parsed.diagnostics);
  const args = parsed.value;
  if (args.help) {
    io.stdout(RELEASE_USAGE);
    return ExitCode.ok;
  }
  const { tag } = args;
  const found = tag === undefined ? ok(dirSource(args, io.cwd, (path) => shown(path, io.cwd))) : tagSource({ ...args, tag }, io.cwd);
  if (!found.ok) return refuse(found.diagnostics);
  const source = found.value;
  const outDir = resolve(io.cwd, args.out ?? ".");
  if (isWithin(outDir, source.appOnDisk)) {
    return refuse([
      {
        code: ReleaseCode.usage,
        severity: "error",
        message: `--out ${shown(outDir, io.cwd)} is inside the app directory: the next release would publish its own manifest`,
        hint: "pass --out with a directory outside the app",
      },
    ]);
  }
  const boards = boardTargets(source.boards);
  if ("problems" in boards) return refuse(boards.problems);
  const keys = loadSigningKeys(args, io);
  if ("problems" in keys) return refuse(keys.problems);
  const { signKeyFiles, signKeyEnvs, rotateKeys } = args;
  const signed = signKeyFiles.length + signKeyEnvs.length > 0;
  const sequence = args.sequence ?? Math.floor(Date.now() / 1000);
  const built = source.build(signed ? { keys: keys.keys, sequence, boards: source.boards, ...(rotateKeys ? { newKeySet: rotateKeys } : {}) } : undefined);
  if (!built.ok) return refuse(built.diagnostics);
  report(built.warnings);
  const overBudget = checkBudgets(built.value, boards.targets, source.shown);
  if (overBudget.length > 0) return refuse(overBudget);
  const written = writeRelease(outDir, built.value);
  if (!written.ok) return refuse(written.diagnostics);
  const { files } = built.value.manifest;
  const { version } = source;
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  io.stdout(
    [
      `release ${version}: ${files.length} file${files.length === 1 ? "" : "s"}, ${bytes} bytes from ${source.shown}${boards.targets.length > 0 ? `, within the budgets of ${boards.targets.map((target) => target.name).join(", ")}` : ""}`,
      `  wrote ${shown(written.value.manifestPath, io.cwd)}`,
      ...(written.value.signaturePath === undefined
        ? ["  not signed: only devices generated with signing.allowUnsigned: true accept it"]
        : [
            `  wrote ${shown(written.value.signaturePath, io.cwd)}: sequence ${sequence}, boards ${source.boards.join(", ")}, signed by ${keys.keys.map(publicKeyBase64).join(", ")}`,
            ...(rotateKeys ? [`  devices that install it trust only ${rotateKeys.join(", ")} from then on`] : []),
          ]),
      `  wrote ${shown(written.value.versionPath, io.cwd)}`,
      source.tag === undefined
        ? `attach ${written.value.signaturePath === undefined ? "both" : "all three"} to the GitHub release tagged v${version} (or your tagPrefix + ${version})`
        : `attach ${written.value.signaturePath === undefined ? "both" : "all three"} to the GitHub release of ${source.tag}`,
      "",
    ].join("\n"),
  );
  return ExitCode.ok;
}

/** The target records of `names`; an unknown name is refused (a signed release for it would install nowhere). */
function boardTargets(names: readonly string[]): { targets: Target[] } | { problems: Diagnostic[] } {
  const found: Target[] = [];
  const problems: Diagnostic[] = [];
  for (const name of new Set(names)) {
    const target = targets.get(name);
    if (target !== undefined) found.push(target);
    else problems.push({ code: ReleaseCode.usage, severity: "error", message: `--board ${name}: no such board`, hint: `boards: ${[...targets.keys()].join(", ")}` });
  }
  return problems.length > 0 ? { problems } : { targets: found };
}

/** The private keys of --sign-key files and --sign-key-env variables; problems name the file or variable, never the key. */
function loadSigningKeys(args: ReleaseArgs, io: ReleaseIo): { keys: KeyObject[] } | { problems: Diagnostic[] } {
  const keys: KeyObject[] = [];
  const problems: Diagnostic[] = [];
  const bad = (message: string, hint: string): void => void problems.push({ code: ReleaseCode.signKey, severity: "error", message, hint });
  const take = (pem: string, what: string): void => {
    const parsed = parsePrivateKey(pem);
    if ("key" in parsed) keys.push(parsed.key);
    else bad(`${what} ${parsed.problem}`, "gen-ota keygen writes an Ed25519 private key in PEM");
  };
  for (const file of args.signKeyFiles) {
    let pem: string;
    try {
      pem = readFileSync(resolve(io.cwd, file), "utf8");
    } catch (error) {
      bad(`cannot read --sign-key ${file}: ${error instanceof Error ? error.message : String(error)}`, "give the path of the private key gen-ota keygen wrote");
      continue;
    }
    take(pem, `--sign-key ${file}`);
  }
  for (const name of args.signKeyEnvs) {
    const pem = io.env?.[name];
    if (pem === undefined || pem.trim() === "") {
      bad(`environment variable ${name} is not set`, `store the private key (all of gen-ota keygen --stdout's output) in the CI secret ${name}`);
      continue;
    }
    take(pem.includes("\\n") && !pem.includes("\n") ? pem.replace(/\\n/g, "\n") : pem, `environment variable ${name}`);
  }
  return problems.length > 0 ? { problems } : { keys };
}
