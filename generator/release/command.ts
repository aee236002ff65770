/** `gen-ota release`: builds the manifest of the app at a tag (or in a directory), checks it against the boards, and writes the release files. */

import { basename, isAbsolute, relative, resolve, sep } from "node:path";
import { targets, type Target } from "../../targets/index.js";
import { ExitCode, formatDiagnostic, ok, type Diagnostic } from "../diagnostics.js";
import { checkBudgets } from "./budgets.js";
import { ReleaseCode } from "./codes.js";
import { parseReleaseArgs, RELEASE_USAGE } from "./command-args.js";
import { dirSource, tagSource, type ReleaseSource } from "./source.js";
import { serializeVersionIndex } from "./version-index.js";
import { writeRelease, type WrittenRelease } from "./write.js";
import type { Release } from "./build.js";
import { parsePrivateKey, publicKeyBase64 } from "../keys.js";
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
  const indexText = source.tagged === undefined ? undefined : serializeVersionIndex([...source.tagged.versions, source.version]);
  if (source.tagged?.shallow) report([shallowWarning()]);
  const written = writeRelease(outDir, built.value, indexText);
  if (!written.ok) return refuse(written.diagnostics);
  io.stdout(summary(source, built.value, boards.targets, written.value, { sequence, signers: keys.keys.map(publicKeyBase64), rotateKeys }, io.cwd));
  return ExitCode.ok;
}

/** How a signed release was signed, for the summary. */
interface SigningSummary {
  sequence: number;
  signers: string[];
  rotateKeys: string[] | undefined;
}

/** What release printed on success: what it checked, each file written, and where to attach them. */
function summary(source: ReleaseSource, release: Release, boards: readonly Target[], written: WrittenRelease, signing: SigningSummary, cwd: string): string {
  const { files } = release.manifest;
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  const attach = [written.manifestPath, written.signaturePath, written.versionPath, written.indexPath].filter((path) => path !== undefined);
  return [
    `release ${source.version}: ${files.length} file${files.length === 1 ? "" : "s"}, ${bytes} bytes from ${source.shown}${boards.length > 0 ? `, within the budgets of ${boards.map((target) => target.name).join(", ")}` : ""}`,
    ...hiddenLine(release.hidden),
    `  wrote ${shown(written.manifestPath, cwd)}`,
    ...(written.signaturePath === undefined
      ? ["  not signed: only devices generated with signing.allowUnsigned: true accept it"]
      : [
          `  wrote ${shown(written.signaturePath, cwd)}: sequence ${signing.sequence}, boards ${source.boards.join(", ")}, signed by ${signing.signers.join(", ")}`,
          ...(signing.rotateKeys ? [`  devices that install it trust only ${signing.rotateKeys.join(", ")} from then on`] : []),
        ]),
    `  wrote ${shown(written.versionPath, cwd)}`,
    ...(written.indexPath === undefined
      ? ["  no ota-versions (--dir): devices on a version range find older lines' releases only in the index --tag writes"]
      : [`  wrote ${shown(written.indexPath, cwd)}: the newest version of each minor line the tags name; attach it to the newest stable release too, and keep that one "latest" (docs/protocol.md, "Version index")`]),
    source.tag === undefined
      ? `attach ${attach.map((path) => basename(path)).join(", ")} to the GitHub release tagged v${source.version} (or your tagPrefix + ${source.version})`
      : `attach ${attach.map((path) => basename(path)).join(", ")} to the GitHub release of ${source.tag}`,
    "",
  ].join("\n");
}

/** The hidden entries a release left out, at most a few by name. */
function hiddenLine(hidden: readonly string[]): string[] {
  if (hidden.length === 0) return [];
  const named = hidden.slice(0, HIDDEN_NAMED).join(", ") + (hidden.length > HIDDEN_NAMED ? `, and ${hidden.length - HIDDEN_NAMED} more` : "");
  return [`  left out ${named}: hidden names, which devices refuse (a name starting with ".")`];
}

const HIDDEN_NAMED = 5;

/** A shallow clone's tags may be few: the index would miss versions devices on a range should find. */
function shallowWarning(): Diagnostic {
  return {
    code: ReleaseCode.tag,
    severity: "warning",
    message: "the repository is a shallow clone: ota-versions lists only the tags it has",
    hint: "in CI, fetch every tag (actions/checkout with fetch-depth: 0)",
  };
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
