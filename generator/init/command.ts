/**
 * `gen-ota init`: scaffolds a device repo: the config, an app folder with a first app that
 * confirms itself, the release and simulate workflows, .gitattributes and .gitignore. It writes
 * all of them or, where any already exists, none.
 */
import Handlebars from "handlebars";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { compareFirmware, lowestFittingFirmware } from "../../targets/heap.js";
import { targets } from "../../targets/index.js";
import { describeFlagProblem, readFlags } from "../flags.js";
import { ExitCode, formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { templatesDir } from "../paths.js";
import { didYouMean } from "../config/suggest.js";

export interface InitIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}

export const INIT_USAGE = `Usage: gen-ota init --board B [--board B]... [--repo owner/name] [--app-dir /app] [--dir DIR]

Scaffolds a device repo in DIR (default: here): ota.config.ts, the app folder with a first
main.py that confirms itself, .github/workflows/release.yml and simulate.yml, .gitattributes
and .gitignore. Writes nothing if any of these files exists already.

Options:
  --board B         a board to generate for (repeat, or a,b)
  --repo owner/name the GitHub repository that publishes releases (default: the git remote origin)
  --app-dir PATH    the folder on the board that updates change (default /app); its copy in
                    the repo is the folder of the same name
  --dir DIR         the repo to scaffold (default: the current directory)
  -h, --help        show this help
`;

const FLAGS = { valued: ["--board", "--repo", "--app-dir", "--dir"], switches: ["-h", "--help"], repeatable: ["--board"] };
const USAGE_CODE = "GEN_OTA_0906";

/** File in the repo → its template under templates/init/. */
const SCAFFOLD: readonly [string, string][] = [
  ["ota.config.ts", "ota.config.ts.hbs"],
  ["{appFolder}/main.py", "main.py.hbs"],
  [".github/workflows/release.yml", "workflows/release.yml.hbs"],
  [".github/workflows/simulate.yml", "workflows/simulate.yml.hbs"],
  [".gitattributes", "gitattributes.hbs"],
  [".gitignore", "gitignore.hbs"],
];

function usage(message: string, hint = "run gen-ota init --help for the usage"): Diagnostic {
  return { code: USAGE_CODE, severity: "error", message, hint };
}

/** Runs `gen-ota init` on `argv` (the arguments after `init`); resolves to the exit code. */
export async function runInitCommand(argv: readonly string[], io: InitIo): Promise<number> {
  const read = readFlags(argv, FLAGS);
  const problems = read.problems.map((problem) => usage(describeFlagProblem(problem)));
  if (read.switches.size > 0) {
    io.stdout(INIT_USAGE);
    return ExitCode.ok;
  }
  const dir = resolve(io.cwd, read.values.get("--dir")?.at(-1) ?? ".");
  const boards = (read.values.get("--board") ?? []).flatMap((value) => value.split(",")).map((name) => name.trim()).filter(Boolean);
  if (boards.length === 0) problems.push(usage("--board B is required", `boards: ${[...targets.keys()].join(", ")}`));
  for (const board of boards.filter((name) => !targets.has(name))) {
    problems.push(usage(`--board ${board}: no such board`, didYouMean(board, [...targets.keys()]) ?? `boards: ${[...targets.keys()].join(", ")}`));
  }
  const appDir = read.values.get("--app-dir")?.at(-1) ?? "/app";
  if (!/^\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(appDir)) problems.push(usage(`--app-dir ${appDir}: an absolute folder on the board, e.g. /app`));
  const repo = read.values.get("--repo")?.at(-1) ?? originRepo(dir);
  if (repo === undefined) problems.push(usage("--repo owner/name is required: no GitHub remote 'origin' to read it from"));
  else if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) problems.push(usage(`--repo ${repo}: use owner/name`));
  if (problems.length > 0) return report(io, problems);

  const appFolder = appDir.slice(1);
  // boards whose updater does not fit their heap on their oldest firmware: the config must say which firmware they run
  const needing = boards.map((board) => [board, lowestFittingFirmware(targets.get(board)!)] as const).filter(([, version]) => version !== undefined);
  const minFirmware = needing.map(([, version]) => version!).sort(compareFirmware).at(-1); // the newest any of them needs
  const model = {
    repo, appDir, appFolder, boardList: boards.map((board) => JSON.stringify(board)).join(", "), keyName: repo!.replace("/", "-"),
    minFirmware, minFirmwareBoards: needing.map(([board]) => board).join(" and "),
  };
  const files = SCAFFOLD.map(([path, template]) => ({ path: path.replace("{appFolder}", appFolder), contents: render(template, model) }));
  const existing = files.filter((file) => existsSync(join(dir, file.path)));
  if (existing.length > 0) {
    return report(io, existing.map((file) => usage(`${shown(io, join(dir, file.path))} exists already: init wrote nothing`, "init scaffolds a new device repo; move the file away or edit it by hand")));
  }
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.contents);
  }
  const at = shown(io, dir);
  io.stdout(
    [
      ...files.map((file) => `wrote ${shown(io, join(dir, file.path))}`),
      "",
      "Next:",
      ...(at === "." ? [] : [`  cd ${at}`]),
      `  npx gen-ota                        # writes device/<board>/ (commit it; CI runs npx gen-ota --check)`,
      `  npx gen-ota bundle --board ${boards[0]} --version 0.1.0   # a folder to copy to a fresh board`,
      `  git tag v0.1.0 && git push --tags   # publish a release: the release workflow attaches its manifest`,
      "",
    ].join("\n"),
  );
  return ExitCode.ok;
}

function report(io: InitIo, diagnostics: readonly Diagnostic[]): number {
  for (const diagnostic of diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
  return ExitCode.userError;
}

function render(template: string, model: object): string {
  const source = readFileSync(join(templatesDir(), "init", template), "utf8");
  return Handlebars.compile(source, { noEscape: true, strict: true, knownHelpersOnly: true })(model);
}

/** owner/name of the git remote origin when it is on GitHub. */
function originRepo(dir: string): string | undefined {
  const remote = spawnSync("git", ["remote", "get-url", "origin"], { cwd: dir, encoding: "utf8" });
  const match = /github\.com[:/]([^/\s]+)\/([^/\s]+?)(\.git)?\s*$/.exec(remote.stdout ?? "");
  return match ? `${match[1]}/${match[2]}` : undefined;
}

function shown(io: InitIo, path: string): string {
  return relative(io.cwd, path) || ".";
}
