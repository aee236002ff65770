/**
 * A simulated board for the tests: a flash image in a host file, booted by the board program
 * (generator/simulate/py/board.py, through generator/simulate/board.ts) in a new MicroPython
 * process for every call (each call is a reboot on the same image).
 */

import { copyFile, mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBoard, type BoardCommand, type BoardFs, type BoardRun } from "../../generator/simulate/board.js";
import { findMicropython } from "./micropython.js";

export { POWER_CUT_EXIT } from "../../generator/simulate/board.js";

/** The filesystems the boards use. */
export type FsKind = BoardFs;

/** One board command with its arguments, e.g. `["run", "import ota"]` (see board.py). */
export type HarnessCommand = BoardCommand;

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

/** What one process did (see BoardRun). */
export type RunResult = BoardRun;

/** The heap after a run, from the board's `mem` command. */
export type MemReport = NonNullable<BoardRun["mem"]>;

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

  /** Runs board commands in one new MicroPython process (one boot of the device). */
  exec(commands: HarnessCommand[], opts: RunOptions = {}): Promise<RunResult> {
    return runBoard({
      binary: this.options.micropython,
      image: this.image,
      fs: this.options.fs,
      blockSize: this.options.blockSize,
      heapBytes: opts.heapBytes ?? this.options.heapBytes,
      ...(opts.cutAfterWrites !== undefined ? { cutAfterWrites: opts.cutAfterWrites } : {}),
      commands: opts.mem ? [...commands, ["mem"]] : commands,
      timeoutMs: opts.timeoutMs ?? this.options.timeoutMs,
    });
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
    const listing = this.check(await this.exec([["ls"]]), "ls").files;
    return Object.fromEntries(listing.map((file) => [file.path, { size: file.size, sha256: file.sha256 }]));
  }

  /** Every directory on the image, sorted. */
  async dirs(): Promise<string[]> {
    return this.check(await this.exec([["ls"]]), "ls").dirs;
  }

  /** A file's content; throws when it cannot be read (e.g. it does not exist). */
  async cat(devPath: string): Promise<Buffer> {
    const result = this.check(await this.exec([["cat", devPath]]), `cat ${devPath}`);
    const content = result.contents.get(devPath);
    if (content !== undefined) return content;
    const errno = result.unreadable.get(devPath);
    throw new Error(`cat ${devPath}: cannot be read (errno ${errno ?? "?"}${errno === 2 ? ", ENOENT" : ""})`);
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
