/**
 * A simulated board: a flash image in a host file, booted by running harness.py in a new
 * MicroPython process for every call (each call is a reboot on the same image).
 */

import { runProcess } from "../../generator/simulate/process.js";
import { copyFile, mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findMicropython } from "./micropython.js";

const HARNESS = fileURLToPath(new URL("./harness.py", import.meta.url));

/** Exit code harness.py uses after a power cut. */
export const POWER_CUT_EXIT = 75;

/** The filesystems the boards use. */
export type FsKind = "fat" | "lfs2";

/** One harness command with its arguments, e.g. `["run", "import ota"]` (see harness.py). */
export type HarnessCommand = string[];

/** How to make a device. */
export interface DeviceOptions {
  fs: FsKind;
  /** Number of blocks; default: a 1 MiB image. */
  blocks?: number;
  /** Block size; default 512 for FAT, 4096 for littlefs. */
  blockSize?: number;
  /** Default `-X heapsize` for every process on this device; default 256 KiB. */
  heapBytes?: number;
  /** Parent of the device's temporary directory; default the OS temp directory. */
  dir?: string;
  /** Default kill timeout per process; default 60 s. */
  timeoutMs?: number;
  /** The unix port to boot it with (see firmware.ts); default the 1.25 build. */
  micropython?: string;
}

/** Per-process options. */
export interface RunOptions {
  /** Cut the power once this many block writes reached the image (the last one performed). */
  cutAfterWrites?: number;
  heapBytes?: number;
  timeoutMs?: number;
  /** Also print the heap after the commands: fills `RunResult.mem`. */
  mem?: boolean;
}

/** The heap after a run, from the harness's `mem` command. */
export interface MemReport {
  /** gc.mem_free() after a collection. */
  free: number;
  /** gc.mem_alloc() after a collection. */
  alloc: number;
  /** micropython.mem_peak(): bytes ever allocated at once, counting garbage not yet collected. */
  peak: number;
}

/** What one process did. */
export interface RunResult {
  /** Exit code; null when killed by a signal (e.g. the timeout). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Every stdout line. */
  lines: string[];
  /** The device code's own stdout lines (those not starting with "HARNESS "). */
  output: string[];
  powerCut: boolean;
  /** Block writes performed, when the harness got to report them. */
  writes?: number;
  /** An exception that escaped the device code. */
  exception?: { type: string; message: string };
  /** The value device code passed to sys.exit(). */
  exitValue?: number;
  mem?: MemReport;
  timedOut: boolean;
}

/** Size and hash of a file on the image. */
export interface FileInfo {
  size: number;
  sha256: string;
}

/** A flash image plus the settings to boot it. */
export class Device {
  private constructor(
    /** The directory this device owns (image, scratch files); removed by dispose(). */
    readonly dir: string,
    /** The host file holding the flash. */
    readonly image: string,
    readonly options: Readonly<Required<Omit<DeviceOptions, "dir">>>,
  ) {}

  /** Creates a zero-filled image of `blocks * blockSize` bytes and formats it with the harness. */
  static async create(options: DeviceOptions): Promise<Device> {
    const blockSize = options.blockSize ?? (options.fs === "fat" ? 512 : 4096);
    const full = {
      fs: options.fs,
      blockSize,
      blocks: options.blocks ?? Math.floor((1024 * 1024) / blockSize),
      heapBytes: options.heapBytes ?? 256 * 1024,
      timeoutMs: options.timeoutMs ?? 60_000,
      micropython: options.micropython ?? findMicropython(),
    };
    const dir = await mkdtemp(join(options.dir ?? tmpdir(), "gen-ota-device-"));
    const image = join(dir, "flash.img");
    const handle = await open(image, "w");
    await handle.truncate(full.blocks * blockSize);
    await handle.close();
    const device = new Device(dir, image, full);
    device.check(await device.exec([["format"]]), "format");
    return device;
  }

  /** Clones the image into a new device with the same settings (e.g. one per cut point). */
  async copy(): Promise<Device> {
    const dir = await mkdtemp(join(this.dir, "..", "gen-ota-device-"));
    const image = join(dir, "flash.img");
    await copyFile(this.image, image);
    return new Device(dir, image, this.options);
  }

  /** Deletes the device's directory and image. */
  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  /** The raw image bytes, e.g. to compare the flash before and after a run. */
  async snapshot(): Promise<Buffer> {
    return readFile(this.image);
  }

  /** Runs harness commands in one new MicroPython process (one boot of the device). */
  exec(commands: HarnessCommand[], opts: RunOptions = {}): Promise<RunResult> {
    const all = opts.mem ? [...commands, ["mem"]] : commands;
    const fsArg = this.options.blockSize === (this.options.fs === "fat" ? 512 : 4096)
      ? this.options.fs
      : `${this.options.fs}:${this.options.blockSize}`;
    const args = [
      "-X", `heapsize=${opts.heapBytes ?? this.options.heapBytes}`,
      HARNESS, this.image, fsArg, String(opts.cutAfterWrites ?? -1),
      ...all.flatMap((command, i) => (i === 0 ? command : ["--", ...command])),
    ];
    return runMicropython(this.options.micropython, args, opts.timeoutMs ?? this.options.timeoutMs);
  }

  /** Execs a Python snippet with the image mounted, e.g. `import ota; print(ota.check())`. */
  run(snippet: string, opts: RunOptions = {}): Promise<RunResult> {
    return this.exec([["run", snippet]], opts);
  }

  /** Boots the device: `import main` from the image. */
  boot(opts: RunOptions = {}): Promise<RunResult> {
    return this.exec([["boot"]], opts);
  }

  /** Copies a host file, or the given bytes, to `devPath` (parent directories are created). */
  async put(source: string | Buffer, devPath: string): Promise<void> {
    if (typeof source === "string") {
      this.check(await this.exec([["put", source, devPath]]), `put ${devPath}`);
      return;
    }
    await this.writeFiles({ [devPath]: source });
  }

  /** Writes files given as device path → content, all in one process. */
  async writeFiles(files: Record<string, Buffer | string>): Promise<void> {
    const entries = Object.entries(files);
    const commands: HarnessCommand[] = [];
    const scratch: string[] = [];
    for (const [i, [devPath, content]] of entries.entries()) {
      const host = join(this.dir, `put-${i}.bin`);
      await writeFile(host, content);
      scratch.push(host);
      commands.push(["put", host, devPath]);
    }
    try {
      if (commands.length > 0) this.check(await this.exec(commands), "writeFiles");
    } finally {
      await Promise.all(scratch.map((file) => rm(file, { force: true })));
    }
  }

  /** Every file on the image, path → size and sha256. */
  async ls(): Promise<Record<string, FileInfo>> {
    const files: Record<string, FileInfo> = {};
    for (const line of this.check(await this.exec([["ls"]]), "ls").lines) {
      const m = /^HARNESS FILE (\S+) (\d+) ([0-9a-f]{64})$/.exec(line);
      if (m) files[m[1]!] = { size: Number(m[2]), sha256: m[3]! };
    }
    return files;
  }

  /** Every directory on the image, sorted. */
  async dirs(): Promise<string[]> {
    const result = this.check(await this.exec([["ls"]]), "ls");
    return result.lines.filter((l) => l.startsWith("HARNESS DIR ")).map((l) => l.slice("HARNESS DIR ".length));
  }

  /** A file's content; throws when it cannot be read (e.g. it does not exist). */
  async cat(devPath: string): Promise<Buffer> {
    const result = this.check(await this.exec([["cat", devPath]]), `cat ${devPath}`);
    const line = result.lines.find((l) => l.startsWith("HARNESS CAT "));
    if (line === undefined) throw new Error(`cat ${devPath}: no content line`);
    return Buffer.from(line.slice("HARNESS CAT ".length), "hex");
  }

  /**
   * Block writes that `action` (a snippet, or harness commands such as `[["boot"]]`) performs
   * from the current image, measured on a scratch copy: cut points are 0..n.
   */
  async countWrites(action: string | HarnessCommand[], opts: Omit<RunOptions, "cutAfterWrites"> = {}): Promise<number> {
    const scratch = await this.copy();
    try {
      const commands = typeof action === "string" ? [["run", action]] : action;
      const result = await scratch.exec(commands, opts);
      if (result.writes === undefined) throw new Error(`countWrites: no write count\n${describe(result)}`);
      return result.writes;
    } finally {
      await scratch.dispose();
    }
  }

  /** Throws unless the process ended normally. */
  private check(result: RunResult, what: string): RunResult {
    if (result.code !== 0) throw new Error(`${what} failed on ${this.image}\n${describe(result)}`);
    return result;
  }
}

/** One readable block about a run, for failure messages. */
export function describe(result: RunResult): string {
  return `exit ${result.code ?? result.signal}${result.timedOut ? " (timed out)" : ""}\n` +
    `--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}

/** Spawns MicroPython without blocking the event loop (the test HTTP server lives in it too). */
async function runMicropython(binary: string, args: string[], timeoutMs: number): Promise<RunResult> {
  const result = await runProcess(binary, args, { timeoutMs });
  return parseResult(result.stdout, result.stderr, result.code, result.signal, result.timedOut);
}

/** Reads the harness's lines out of a process's output. */
function parseResult(stdout: string, stderr: string, code: number | null, signal: NodeJS.Signals | null, timedOut: boolean): RunResult {
  const lines = stdout.split("\n").map((l) => l.replace(/\r$/, ""));
  if (lines[lines.length - 1] === "") lines.pop();
  const result: RunResult = {
    code, signal, stdout, stderr, lines, timedOut,
    output: lines.filter((l) => !l.startsWith("HARNESS ")),
    powerCut: false,
  };
  for (const line of lines) {
    const [tag, kind, ...rest] = line.split(" ");
    if (tag !== "HARNESS") continue;
    if (kind === "POWERCUT") result.powerCut = true;
    else if (kind === "WRITES") result.writes = Number(rest[0]);
    else if (kind === "EXIT") result.exitValue = Number(rest[0]);
    else if (kind === "EXC") result.exception = { type: rest[0] ?? "", message: rest.slice(1).join(" ") };
    else if (kind === "MEM") result.mem = { free: Number(rest[0]), alloc: Number(rest[1]), peak: Number(rest[2]) };
  }
  return result;
}
