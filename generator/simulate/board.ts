/**
 * The one driver of the simulated board on MicroPython's unix port (py/board.py): the only code
 * that spawns MicroPython and reads its `HARNESS` lines. The simulator, the runtime tests and the
 * bench all go through it.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileMpy, type MpyAbi } from "../mpy/compile.js";
import { packageRoot } from "../paths.js";
import { launchCommand } from "./launcher.js";
import { runProcess } from "./process.js";

/** Exit code of a process whose power was cut (py/flash_dev.py). */
export const POWER_CUT_EXIT = 75;
/** How long a process may run on after printing its power cut before it is ended (see runBoard). */
const POWER_CUT_GRACE_MS = 2000;

/** The filesystems the boards use. */
export type BoardFs = "fat" | "lfs2";

/** One command of board.py with its arguments, e.g. `["run", "import ota"]`. */
export type BoardCommand = string[];

/** A file of the image, from `ls`. */
export interface BoardFile {
  path: string;
  size: number;
  sha256: string;
}

/** One power-on of the board. */
export interface BoardInvocation {
  /** The unix port to run. */
  binary: string;
  image: string;
  fs: BoardFs;
  blockSize: number;
  heapBytes: number;
  /** Cut the power once this many block writes reached the image (the last one lands); default never. */
  cutAfterWrites?: number;
  commands: BoardCommand[];
  timeoutMs: number;
}

/** What one process did, read from its output. */
export interface BoardRun {
  /** Exit code; null when killed by a signal (e.g. the timeout). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Every stdout line. */
  lines: string[];
  /** The device code's own lines (those not starting with "HARNESS "). */
  output: string[];
  powerCut: boolean;
  /** Block writes performed, when the board got to report them. */
  writes?: number;
  /** An exception that escaped the device code. */
  exception?: { type: string; message: string };
  /** The value device code passed to sys.exit(). */
  exitValue?: number;
  /** From `mem`: gc.mem_free(), gc.mem_alloc() after a collection, micropython.mem_peak(). */
  mem?: { free: number; alloc: number; peak: number };
  /** From `sim`: the highest live heap sampled after a collection. */
  peak?: number;
  /** From `sim`: the board's events (reset, confirmed), in order. */
  events: string[];
  /** From `ls`. */
  files: BoardFile[];
  dirs: string[];
  /** From `cat`: the content of each file that could be read, by path. */
  contents: Map<string, Buffer>;
  /** From `cat`: the errno of each file that could not be opened, by path. */
  unreadable: Map<string, number>;
  /** Wall time of the process. */
  ms: number;
}

/** The folder of the board program and the modules it imports from beside itself. */
const PROGRAM_DIR = join(packageRoot(), "generator", "simulate", "py");
/** The longest argument MicroPython's unix port accepts (a qstr's length is one byte). */
export const MAX_ARGUMENT_BYTES = 255;
/** In this order, test/runtime/build-micropython.sh hashes them into the port it freezes them in. */
const BOARD_MODULES = ["board.py", "flash_dev.py", "board_tools.py", "sim_board.py", "simhost.py"];

/** board.py's FS argument: `fat`, `lfs2`, or `fat:4096` for another block size than the default. */
export function fsArgument(fs: BoardFs, blockSize: number): string {
  return blockSize === (fs === "fat" ? 512 : 4096) ? fs : `${fs}:${blockSize}`;
}

/**
 * Boots the board once with `commands` and parses what it printed. Compiling the board program
 * from source would take about 14 KB of the board's heap, and fragment it, before any device
 * code starts. So it runs frozen where the port has this very program frozen in (the port
 * test/runtime/build-micropython.sh builds: `-m board` from an empty folder, and its code takes
 * no heap, as a board's flash driver and boot), and otherwise precompiled for the runtime's
 * .mpy ABI (`-m board` in a folder of .mpy files, whose bytecode then takes about 3 KB).
 */
export async function runBoard(invocation: BoardInvocation): Promise<BoardRun> {
  for (const argument of invocation.commands.flat()) {
    const size = Buffer.byteLength(argument);
    // the unix port interns sys.argv as qstrs before any handler is set: "FATAL: uncaught NLR", no output
    if (size > MAX_ARGUMENT_BYTES) throw new Error(`gen-ota: a board command's argument is ${size} bytes, over the ${MAX_ARGUMENT_BYTES} the unix port takes: ${argument.slice(0, 60)}...`);
  }
  const programDir = hasFrozenBoard(invocation.binary) ? await emptyFolder() : await compiledBoard(mpyAbiOf(invocation.binary));
  const args = [
    "-X", `heapsize=${invocation.heapBytes}`, "-m", "board",
    invocation.image, fsArgument(invocation.fs, invocation.blockSize), String(invocation.cutAfterWrites ?? -1),
    ...invocation.commands.flatMap((command, i) => (i === 0 ? command : ["--", ...command])),
  ];
  const started = process.hrtime.bigint();
  const cuts = invocation.cutAfterWrites !== undefined && invocation.cutAfterWrites >= 0;
  // Power is gone at the cut: what the process does after it cannot matter, and the statically
  // linked old ports under qemu sometimes deadlock in glibc there (a futex wait until the timeout).
  const stopAfter = cuts ? { marker: "HARNESS POWERCUT", graceMs: POWER_CUT_GRACE_MS } : undefined;
  const result = await runProcess(invocation.binary, args, { timeoutMs: invocation.timeoutMs, cwd: programDir, ...(stopAfter ? { stopAfter } : {}) });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const parsed = parseBoardOutput(result.stdout);
  if (result.stopped) {
    // as the board program ends after a cut: the exit code it gives, and the writes that landed
    return { ...parsed, writes: parsed.writes ?? invocation.cutAfterWrites, code: POWER_CUT_EXIT, signal: null, stdout: result.stdout, stderr: result.stderr, timedOut: false, ms };
  }
  return { ...parsed, code: result.code, signal: result.signal, stdout: result.stdout, stderr: result.stderr, timedOut: result.timedOut, ms };
}

const compiled = new Map<MpyAbi, Promise<string>>();
let empty: Promise<string> | undefined;

/** A temporary folder (removed at exit), made once per process. */
async function temporaryFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "gen-ota-board-"));
  process.once("exit", () => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** An empty folder to run a frozen board program in: nothing there to import before the frozen modules. */
function emptyFolder(): Promise<string> {
  empty ??= temporaryFolder();
  return empty;
}

let boardSources: string | undefined;

/** The sha256 of the board program's sources, as build-micropython.sh writes it into gen_ota_board.SOURCES. */
function boardSourcesSha256(): string {
  boardSources ??= createHash("sha256").update(Buffer.concat(BOARD_MODULES.map((name) => readFileSync(join(PROGRAM_DIR, name))))).digest("hex");
  return boardSources;
}

/** Whether `binary` has this package's board program frozen in (not an older or other one). */
export function hasFrozenBoard(binary: string): boolean {
  const probe = probeImplementation(binary);
  return probe.ok && probe.value.frozenBoard === boardSourcesSha256();
}

/** A temporary folder (removed at exit) of the board program's modules as .mpy for `abi`, made once per process. */
function compiledBoard(abi: MpyAbi): Promise<string> {
  let dir = compiled.get(abi);
  if (dir === undefined) {
    dir = (async () => {
      const folder = await temporaryFolder();
      for (const name of BOARD_MODULES) {
        const result = await compileMpy(await readFile(join(PROGRAM_DIR, name), "utf8"), name, { abi });
        if (!result.ok) throw new Error(`gen-ota: cannot compile the board program's ${name}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
        await writeFile(join(folder, name.replace(/\.py$/, ".mpy")), result.value);
      }
      return folder;
    })();
    compiled.set(abi, dir);
  }
  return dir;
}

/** What a MicroPython binary says of itself in `sys.implementation`. */
export interface Implementation {
  /** "micropython" */
  name: string;
  /** e.g. "1.19.1" */
  version: string;
  /** The .mpy ABI it loads: 5 before 1.19, 6 from it. */
  mpyAbi: MpyAbi;
  /** gen_ota_board.SOURCES where the board program is frozen in (see hasFrozenBoard). */
  frozenBoard?: string;
}

/** An Implementation, or why the binary did not give one. */
export type ImplementationProbe = { ok: true; value: Implementation } | { ok: false; reason: string };

const probes = new Map<string, ImplementationProbe>();

/**
 * Runs `binary` once (through qemu-i386 where needed) to read its sys.implementation; the one
 * place besides runBoard that starts MicroPython, for the callers that must know what a binary
 * is before they use it (the firmware matrix, `simulate --runtime unix`). Remembered per binary.
 */
export function probeImplementation(binary: string): ImplementationProbe {
  const known = probes.get(binary);
  if (known) return known;
  // one line, under the port's 255-byte argument limit; run from the system's temporary folder
  // rather than the caller's, so that a gen_ota_board.py there is unlikely to stand in for a frozen one
  const script =
    "import sys;i=sys.implementation;f=['-'];exec('try:\\n import gen_ota_board as g;f[0]=g.SOURCES\\nexcept ImportError:pass');" +
    "print(i.name,'%d.%d.%d'%i.version[:3],getattr(i,'_mpy',getattr(i,'mpy',6))&0xff,f[0])";
  const launch = launchCommand(binary, ["-c", script]);
  const run = spawnSync(launch.command, launch.args, { encoding: "utf8", timeout: 30_000, cwd: tmpdir() });
  const [name, version, abi, frozen] = (run.stdout ?? "").trim().split(" ");
  const probe: ImplementationProbe =
    run.status === 0 && name && version
      ? { ok: true, value: { name, version, mpyAbi: abi === "5" ? 5 : 6, ...(frozen && frozen !== "-" ? { frozenBoard: frozen } : {}) } }
      : { ok: false, reason: run.error ? run.error.message : `exit ${run.status ?? run.signal}: ${`${run.stderr ?? ""}${run.stdout ?? ""}`.trim().slice(0, 200) || "nothing printed"}` };
  probes.set(binary, probe);
  return probe;
}

/** The .mpy ABI `binary` loads (6 when it cannot tell: the run that follows reports the failure). */
export function mpyAbiOf(binary: string): MpyAbi {
  const probe = probeImplementation(binary);
  return probe.ok ? probe.value.mpyAbi : 6;
}

/** The board's lines, read out of its stdout. */
export function parseBoardOutput(stdout: string): Omit<BoardRun, "code" | "signal" | "stdout" | "stderr" | "timedOut" | "ms"> {
  const lines = stdout.split("\n").map((line) => line.replace(/\r$/, ""));
  if (lines[lines.length - 1] === "") lines.pop();
  const run: ReturnType<typeof parseBoardOutput> = {
    lines, output: lines.filter((line) => !line.startsWith("HARNESS ")), powerCut: false, events: [], files: [], dirs: [], contents: new Map(), unreadable: new Map(),
  };
  for (const line of lines) {
    const [tag, kind, ...rest] = line.split(" ");
    if (tag !== "HARNESS") continue;
    const first = rest[0] ?? "";
    if (kind === "POWERCUT") run.powerCut = true;
    else if (kind === "WRITES") run.writes = Number(first);
    else if (kind === "EXIT") run.exitValue = Number(first);
    else if (kind === "EXC") run.exception = { type: first, message: rest.slice(1).join(" ") };
    else if (kind === "MEM") run.mem = { free: Number(rest[0]), alloc: Number(rest[1]), peak: Number(rest[2]) };
    else if (kind === "PEAK") run.peak = Number(first);
    else if (kind === "EVENT") run.events.push(first);
    else if (kind === "DIR") run.dirs.push(rest.join(" "));
    else if (kind === "FILE" && rest.length === 3) run.files.push({ path: first, size: Number(rest[1]), sha256: rest[2]! });
    else if (kind === "NOCAT" && rest.length >= 2) run.unreadable.set(rest.slice(0, -1).join(" "), Number(rest[rest.length - 1]));
    else if (kind === "CAT" && rest.length >= 2) run.contents.set(rest.slice(0, -1).join(" "), Buffer.from(rest[rest.length - 1]!, "hex"));
  }
  return run;
}
