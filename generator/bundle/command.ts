/**
 * `gen-ota bundle`: a folder ready to copy to a fresh board: the updater, the app at one version
 * with its `.version` (without which main.py starts nothing), a template of the device's secrets
 * file naming exactly the secrets the config reads on the device, and the mpremote commands.
 */
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { targets, type MpyAbi, type Target } from "../../targets/index.js";
import { describeFlagProblem, readFlags } from "../flags.js";
import { loadConfig } from "../config/load.js";
import type { DeviceString, ResolvedConfig } from "../config/resolved.js";
import { ExitCode, formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { generateBoard } from "../generate.js";
import { chooseMpyAbi, parseMpyAbi } from "../mpy/board-abi.js";
import { compileMpy } from "../mpy/compile.js";
import { buildManifest } from "../release/build.js";
import { workTreeRoot } from "../release/git.js";

export interface BundleIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
}

export const BUNDLE_USAGE = `Usage: gen-ota bundle --board B --version X [--config F] [--app DIR] [--out DIR] [--mpy] [--mpy-abi N]

Writes DIR/<board>/ (default DIR: bundle/ beside the config), a folder to copy to a fresh board:
the updater (main.py, ota.py and its modules; with --mpy the modules precompiled), the app at
version X in its appDir with the .version file main.py needs to start it, and
secrets.json.template naming the secrets this config reads on the device. Prints the mpremote
commands that copy it.

Options:
  --board B     a board of the config (default: its only board)
  --version X   the app's version (what its release is called, without the tag prefix)
  --config F    the config file (default ./ota.config.ts)
  --app DIR     the app on disk (default: the config's appPath, from the repository's root)
  --out DIR     where to write (default: bundle/ beside the config)
  --mpy         precompiled modules, for firmware that imports .mpy
  --mpy-abi N   their ABI (implies --mpy): 5 for firmware 1.12 to 1.18, 6 for 1.19 and later;
                needed where the board's supported firmware loads either (esp8266)
  -h, --help    show this help
`;

const FLAGS = { valued: ["--board", "--version", "--config", "--app", "--out", "--mpy-abi"], switches: ["--mpy", "-h", "--help"] };
const USAGE_CODE = "GEN_OTA_0905";

interface BundleArgs {
  help: boolean;
  board?: string;
  version?: string;
  config: string;
  app?: string;
  out?: string;
  mpy: boolean;
  /** `--mpy-abi` (which implies --mpy); null where not given. */
  mpyAbi: MpyAbi | null;
}

function usage(message: string): Diagnostic {
  return { code: USAGE_CODE, severity: "error", message, hint: "run gen-ota bundle --help for the usage" };
}

function parseArgs(argv: readonly string[]): { args: BundleArgs } | { problems: Diagnostic[] } {
  const read = readFlags(argv, FLAGS);
  const last = (flag: string): string | undefined => read.values.get(flag)?.at(-1);
  const args: BundleArgs = {
    help: read.switches.has("-h") || read.switches.has("--help"),
    board: last("--board"),
    version: last("--version"),
    config: last("--config") ?? "ota.config.ts",
    app: last("--app"),
    out: last("--out"),
    mpy: read.switches.has("--mpy") || read.given.has("--mpy-abi"),
    mpyAbi: null,
  };
  const problems = read.problems.map((problem) => usage(describeFlagProblem(problem)));
  const abiValue = last("--mpy-abi");
  const parsed = abiValue === undefined ? undefined : parseMpyAbi(abiValue);
  if (parsed && "problem" in parsed) problems.push(usage(parsed.problem));
  else args.mpyAbi = parsed?.abi ?? null;
  if (!args.help && args.version === undefined) problems.push(usage("--version X is required: the version of the app the board starts with"));
  return problems.length > 0 ? { problems } : { args };
}

/** The secret names the device reads from its secrets file (embedded ones are in the code already). */
export function deviceSecretNames(config: ResolvedConfig): string[] {
  const strings: (DeviceString | null | undefined)[] = [config.wifi?.ssid, config.wifi?.password, config.token];
  return [...new Set(strings.flatMap((value) => (value?.kind === "secret" ? [value.name] : [])))];
}

/** Runs `gen-ota bundle` on `argv` (the arguments after `bundle`); resolves to the exit code. */
export async function runBundleCommand(argv: readonly string[], io: BundleIo): Promise<number> {
  const report = (diagnostics: readonly Diagnostic[]): number => {
    for (const diagnostic of diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
    return ExitCode.userError;
  };
  const parsed = parseArgs(argv);
  if ("problems" in parsed) return report(parsed.problems);
  const { args } = parsed;
  if (args.help) {
    io.stdout(BUNDLE_USAGE);
    return ExitCode.ok;
  }
  const configPath = relative(io.cwd, resolve(io.cwd, args.config)) || args.config;
  const loaded = loadConfig(configPath, { env: io.env, cwd: io.cwd });
  if (!loaded.ok) return report(loaded.diagnostics);
  const config = loaded.value;
  const target = chooseTarget(args.board, config);
  if ("code" in target) return report([target]);
  const configDir = dirname(resolve(io.cwd, configPath));
  // the app's folder in the working copy: appPath from the repository's root (the config's folder outside git)
  const appOnDisk = resolve(io.cwd, args.app ?? join(workTreeRoot(configDir) ?? configDir, config.appPath));
  const release = buildManifest(appOnDisk, args.version!, { shownDir: relative(io.cwd, appOnDisk) || "." });
  if (!release.ok) return report(release.diagnostics);
  const updater = await updaterFiles(config, target, args.mpy, args.mpyAbi);
  if ("code" in updater) return report([updater]);

  const boardDir = resolve(io.cwd, args.out ?? join(configDir, "bundle"), target.name);
  if (existsSync(boardDir)) rmSync(boardDir, { recursive: true }); // a bundle is made whole each time
  const appDir = join(boardDir, config.appDir.replace(/^\/+/, ""));
  for (const file of release.value.manifest.files) {
    mkdirSync(dirname(join(appDir, file.path)), { recursive: true });
    cpSync(join(appOnDisk, file.path), join(appDir, file.path));
  }
  writeFileSync(join(appDir, ".version"), release.value.manifest.version);
  writeFileSync(join(appDir, ".manifest"), release.value.manifestJson);
  for (const [name, contents] of updater) writeFileSync(join(boardDir, name), contents);
  const secrets = deviceSecretNames(config);
  if (secrets.length > 0) {
    writeFileSync(join(boardDir, "secrets.json.template"), `${JSON.stringify(Object.fromEntries(secrets.map((name) => [name, ""])), null, 2)}\n`);
  }
  io.stdout(instructions(relative(io.cwd, boardDir) || ".", config, target, [...updater.keys()], release.value.manifest.version, secrets));
  return ExitCode.ok;
}

function chooseTarget(asked: string | undefined, config: ResolvedConfig): Target | Diagnostic {
  const name = asked ?? (config.boards.length === 1 ? config.boards[0] : undefined);
  const target = name === undefined ? undefined : targets.get(name);
  if (target && config.boards.includes(target.name as ResolvedConfig["boards"][number])) return target;
  return usage(`--board ${name ?? "(none)"}: ${config.configPath} ${name === undefined ? "names several boards: pick one" : "does not name this board"} (its boards: ${config.boards.join(", ")})`);
}

/** The device files of the updater, by name: .py, or with `mpy` the modules compiled for the board (at `--mpy-abi`, or its one ABI). */
async function updaterFiles(config: ResolvedConfig, target: Target, mpy: boolean, mpyAbi: MpyAbi | null): Promise<Map<string, string | Uint8Array> | Diagnostic> {
  const files = new Map<string, string | Uint8Array>();
  const chosen = mpy ? chooseMpyAbi(target, mpyAbi, config.minFirmware) : undefined;
  if (chosen && "problem" in chosen) return { ...usage(chosen.problem), hint: chosen.hint };
  for (const file of generateBoard(config, target)) {
    if (!chosen || file.name === "main.py") {
      files.set(file.name, file.contents);
      continue;
    }
    const compiled = await compileMpy(String(file.contents), file.name, chosen);
    if (!compiled.ok) throw new Error(`gen-ota: mpy-cross refused generated ${file.name}: ${compiled.diagnostics.map((d) => d.message).join("; ")}`);
    files.set(file.name.replace(/\.py$/, ".mpy"), compiled.value);
  }
  return files;
}

function instructions(dir: string, config: ResolvedConfig, target: Target, updater: string[], version: string, secrets: string[]): string {
  const appFolder = config.appDir.replace(/^\/+/, "");
  const lines = [
    `wrote ${dir}/: ${target.name} updater (${updater.join(", ")}), app ${version} in ${config.appDir}`,
    "",
    "Copy it to a freshly flashed board (mpremote from pip, the board on USB):",
    `  cd ${dir}`,
  ];
  if (secrets.length > 0) {
    lines.push(`  cp secrets.json.template secrets.json   # then fill in ${secrets.join(", ")}; never commit it`);
  }
  lines.push(
    `  mpremote cp ${updater.join(" ")} :`,
    `  mpremote cp -r ${appFolder} :`,
    ...(secrets.length > 0 ? [`  mpremote cp secrets.json :${config.secretsFile}`] : []),
    "  mpremote reset",
    "",
    `On boot main.py runs ${config.appDir}/${config.entry}.py at ${version}; later versions come over the air.`,
    "",
  );
  return lines.join("\n");
}
