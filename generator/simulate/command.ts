/** `gen-ota simulate`: an update of one board from one version to another, run before flashing, with optional power cuts. */

import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { dirname, relative, resolve } from "node:path";
import { targets, type Target } from "../../targets/index.js";
import { loadConfig } from "../config/load.js";
import type { ResolvedConfig } from "../config/resolved.js";
import type { DiagnosticCode } from "../diagnostic-codes.js";
import { ExitCode, formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { parseSimulateArgs, SIMULATE_USAGE, type SimulateArgs } from "./args.js";
import { SimulateCode } from "./codes.js";
import { publicKeyBase64 } from "../keys.js";
import type { ReleaseSigning } from "../release/build.js";
import { initialImage, simulatedUpdater } from "./device-image.js";
import { probeImplementation } from "./board.js";
import { EMBEDDED_PORT } from "./embedded.js";
import { EmbeddedDevice } from "./embedded-device.js";
import { withVersionIndex, type GithubSite } from "./github.js";
import { listenLoopback, siteHandler } from "./github-server.js";
import { bootSteps, cutLines, heapLines, stepLog, succeeded, totalsLine } from "./report.js";
import type { SiteRequest } from "./runtime.js";
import { cutAndReboot, runUpdate, type CutOutcome, type RunOutcome, type SimDevice, type UpdatePlan } from "./session.js";
import { UnixDevice } from "./unix-device.js";
import { loadVersion } from "./versions.js";

/** Where the command writes, its working directory and environment. */
export interface SimulateIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** Everything a simulation computes, for the CLI and for tests. */
export interface SimulationResult {
  ok: boolean;
  /** The step log: the same on both runtimes for the same inputs. */
  steps: string[];
  /** The whole report as printed. */
  report: string[];
  cuts: CutOutcome[];
}

/** A runtime ready to make boards: the origin the updater must use, and a way to flash one. */
interface Runtime {
  label: string;
  origin: string;
  flash(image: ReturnType<typeof initialImage>): Promise<SimDevice>;
  close(): Promise<void>;
}

/** Exit code when the board does not end on the new version (1, as for stale files under --check). */
const SIMULATION_FAILED = 1;

const SIGNING_KEY = "gen-ota simulate"; // fixed, so signed URLs (and the step log) are the same on every run

function usage(message: string, hint?: string, code: DiagnosticCode = SimulateCode.usage): Diagnostic {
  return { code, severity: "error", message, ...(hint ? { hint } : {}) };
}

/** The unix port binary: --micropython, then $GEN_OTA_MICROPYTHON, then `micropython` on PATH. */
function findUnixPort(args: SimulateArgs, io: SimulateIo): string | Diagnostic {
  const candidate = args.micropython ?? io.env["GEN_OTA_MICROPYTHON"] ?? "micropython";
  const probe = probeImplementation(candidate);
  if (probe.ok && probe.value.name === "micropython") return candidate;
  return usage(
    `--runtime unix: cannot run MicroPython's unix port '${candidate}'`,
    "pass --micropython PATH (a 32-bit build makes the heap budget mean what it means on the board), or use the embedded runtime",
    SimulateCode.runtime,
  );
}

function siteFor(config: ResolvedConfig, plan: Pick<UpdatePlan, "from" | "to">, downloadOrigin: string): GithubSite {
  return {
    repo: config.repo,
    dir: config.appPath,
    downloadOrigin,
    downloadHost: downloadOrigin.replace(/^http:\/\//, ""),
    rawChunked: true,
    secret: SIGNING_KEY,
    releases: () => withVersionIndex([plan.from, plan.to]),
  };
}

async function startRuntime(args: SimulateArgs, io: SimulateIo, config: ResolvedConfig, target: Target, plan: Pick<UpdatePlan, "from" | "to">): Promise<Runtime | Diagnostic> {
  if (args.runtime === "embedded") {
    const site = siteFor(config, plan, "http://localhost");
    return {
      label: "embedded (MicroPython 1.27 on WebAssembly, in this process)",
      origin: `http://127.0.0.1${EMBEDDED_PORT === 80 ? "" : `:${EMBEDDED_PORT}`}`,
      flash: async (image) => new EmbeddedDevice(image, target, site, target.heap.budgetBytes, args.bootTimeoutSeconds * 1000),
      close: async () => undefined,
    };
  }
  const binary = findUnixPort(args, io);
  if (typeof binary !== "string") return binary;
  const requests: SiteRequest[] = [];
  let site: GithubSite | undefined;
  const server = await listenLoopback((raw, socket) =>
    siteHandler(site!, (exchange) => {
      if (exchange.request) requests.push({ method: exchange.request.method, path: exchange.request.path, status: exchange.reply.status, bytes: exchange.request.method === "HEAD" ? 0 : exchange.reply.body.length });
    })(raw, socket),
  );
  site = siteFor(config, plan, `http://localhost:${server.port}`);
  return {
    label: `unix port (${binary}, a loopback server on port ${server.port})`,
    origin: `http://127.0.0.1:${server.port}`,
    flash: (image) => UnixDevice.create(image, { binary, target, requests, timeoutMs: args.bootTimeoutSeconds * 1000 }),
    close: () => server.close(),
  };
}

/**
 * The key that signs the simulated releases, made for this run: on the unix runtime, when the
 * config has keys (the simulator cannot hold the config's private keys, so the device trusts this
 * one instead). None on the embedded runtime, whose heap bound would count every short-lived number
 * of the signature check (see simulatedUpdater).
 */
function simulationSigner(args: SimulateArgs, config: ResolvedConfig): KeyObject | undefined {
  if (args.runtime !== "unix" || config.signing.publicKeys.length === 0) return undefined;
  return generateKeyPairSync("ed25519").privateKey;
}

/** The updater went back to the version it came from after trial boots that never confirmed. */
function rolledBack(run: RunOutcome): boolean {
  return run.state === "old" && run.boots.some((boot) => boot.lines.some((line) => / going back to /.test(line)));
}

/** Runs the simulation `args` describe; diagnostics for bad input, else the result (printing as it goes). */
export async function simulate(args: SimulateArgs, io: SimulateIo): Promise<{ diagnostics: Diagnostic[] } | SimulationResult> {
  const configPath = relative(io.cwd, resolve(io.cwd, args.config)) || args.config;
  io.stdout(`gen-ota simulate: reading ${configPath}, ${args.from ?? "?"} and ${args.to ?? "?"}\n`); // before the slow part
  const loaded = loadConfig(configPath, { env: io.env, cwd: io.cwd });
  if (!loaded.ok) return { diagnostics: loaded.diagnostics };
  const config = loaded.value;
  const boardName = args.board ?? (config.boards.length === 1 ? config.boards[0] : undefined);
  const target = boardName === undefined ? undefined : targets.get(boardName);
  if (!target || !config.boards.includes(target.name as ResolvedConfig["boards"][number])) {
    return { diagnostics: [usage(`--board ${boardName ?? "(none)"}: ${configPath} does not name this board`, `its boards are ${config.boards.join(", ")}`, SimulateCode.board)] };
  }
  const configDir = dirname(resolve(io.cwd, configPath));
  const place = { cwd: io.cwd, appPath: config.appPath, repoDir: configDir, tagPrefix: config.tagPrefix };
  const signer = simulationSigner(args, config);
  const signing = (sequence: number): { signing?: ReleaseSigning } =>
    signer === undefined ? {} : { signing: { keys: [signer], sequence, boards: [target.name] } };
  const from = loadVersion({ from: args.from ?? "", ...(args.fromVersion ? { version: args.fromVersion } : {}) }, { ...place, ...signing(1) });
  const to = loadVersion({ from: args.to ?? "", ...(args.toVersion ? { version: args.toVersion } : {}) }, { ...place, ...signing(2) });
  if (!from.ok || !to.ok) return { diagnostics: [...(from.ok ? [] : from.diagnostics), ...(to.ok ? [] : to.diagnostics)] };
  const plan: UpdatePlan = { config, from: from.value, to: to.value };

  const runtime = await startRuntime(args, io, config, target, plan);
  if (!("flash" in runtime)) return { diagnostics: [runtime] };
  const report: string[] = [];
  const say = (...lines: string[]): void => {
    report.push(...lines);
    io.stdout(lines.map((line) => `${line}\n`).join(""));
  };
  try {
    const fs = `${target.flash.filesystem}, ${target.flash.blockSize}-byte blocks`;
    say(
      `gen-ota simulate: ${target.name} (${fs}; heap budget ${target.heap.budgetBytes} B), ${plan.from.version} (${plan.from.source}) -> ${plan.to.version} (${plan.to.source})`,
      `runtime: ${runtime.label}`,
      signer === undefined
        ? `signatures: not checked (${config.signing.publicKeys.length === 0 ? "the config has no keys" : "the embedded runtime; --runtime unix checks them"})`
        : "signatures: checked, the releases signed with a key made for this run (the device trusts it in place of the config's)",
    );
    const updater = simulatedUpdater(config, target, runtime.origin, signer === undefined ? undefined : publicKeyBase64(signer));
    const pristine = await runtime.flash(initialImage(config, updater, plan.from));
    try {
      const board = await pristine.fork();
      // each boot's steps as it ends: a long or hung boot shows what came before it
      const run = await runUpdate(board, plan, null, (boot, index) => say(...bootSteps(boot, index, plan, args.bootTimeoutSeconds)));
      await board.dispose();
      const steps = stepLog(run, plan, args.bootTimeoutSeconds);
      say(totalsLine(run));
      const heap = heapLines(run, target);
      say(...heap.lines);
      // a heap shown over the budget fails; one this runtime cannot measure is said, not failed
      let ok = succeeded(run, plan) && !heap.exceeded;
      const cuts: CutOutcome[] = [];
      if (args.powerCut !== null) {
        const last = args.powerCut === "all" ? run.writes : Math.min(args.powerCut, run.writes);
        const first = args.powerCut === "all" ? 1 : last;
        say(`power cuts at block write ${first}${last > first ? `..${last}` : ""} of ${run.writes} (${args.runtime === "embedded" ? `a model of ${target.flash.filesystem}'s write order` : `${target.flash.filesystem} on a block device`}):`);
        if (args.powerCut !== "all" && args.powerCut > run.writes) say(`  the update makes only ${run.writes} block writes: cutting at the last`);
        for (let at = first; at <= last; at++) {
          const cut = await cutAndReboot(pristine, plan, at);
          cuts.push(cut);
          say(cutLines([cut], plan).lines[0]!);
        }
        const summary = cutLines(cuts, plan);
        say(summary.lines.at(-1)!);
        ok = ok && summary.broken === 0 && summary.notNew === 0;
      }
      const verdict = ok
        ? `PASS: ${target.name} moves from ${plan.from.version} to ${plan.to.version}, confirmed${args.powerCut !== null ? `, through every power cut tried` : ""}${heap.measured ? "" : " (heap not measured by this runtime)"}`
        : succeeded(run, plan) && !heap.exceeded
          ? `FAIL: ${target.name} moves to ${plan.to.version}, but not through every power cut: ${cuts.filter((cut) => cut.final !== "new" || !cut.confirmed).length} of ${cuts.length} did not end on it confirmed`
          : rolledBack(run)
            ? `FAIL: ${target.name} rolled back to ${run.version ?? "no version"}: ${plan.to.version} did not confirm itself within ${plan.config.trialBoots} trial boots`
            : `FAIL: ${target.name} does not end on ${plan.to.version} confirmed${heap.exceeded ? " (out of heap)" : ""}: it ends ${run.state} (${run.version ?? "no version"})${run.confirmed ? "" : ", unconfirmed"}`;
      say(verdict);
      return { ok, steps, report, cuts };
    } finally {
      await pristine.dispose();
    }
  } finally {
    await runtime.close();
  }
}

/** Runs `gen-ota simulate` on `argv` (the arguments after `simulate`); resolves to the exit code. */
export async function runSimulateCommand(argv: readonly string[], io: SimulateIo): Promise<number> {
  const parsed = parseSimulateArgs(argv);
  const report = (diagnostics: readonly Diagnostic[]): void => {
    for (const diagnostic of diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
  };
  if (!parsed.ok) {
    report(parsed.diagnostics);
    return ExitCode.userError;
  }
  if (parsed.value.help) {
    io.stdout(SIMULATE_USAGE);
    return ExitCode.ok;
  }
  const result = await simulate(parsed.value, io);
  if ("diagnostics" in result) {
    report(result.diagnostics);
    return ExitCode.userError;
  }
  return result.ok ? ExitCode.ok : SIMULATION_FAILED;
}
