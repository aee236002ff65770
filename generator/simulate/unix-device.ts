/**
 * A simulated board on MicroPython's unix port: its flash in a host file (the board's own
 * littlefs2 or FAT, through a block device that counts writes), each boot a new process of the
 * board program (py/board.py, driven by board.ts) at the board's heap budget, the network a
 * real loopback socket to the site.
 */

import { copyFile, mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Target } from "../../targets/index.js";
import { POWER_CUT_EXIT, runBoard, type BoardCommand, type BoardRun } from "./board.js";
import type { FlashImage } from "./flash.js";
import type { BootAction, BootResult, SiteRequest } from "./runtime.js";
import { JOURNAL_SLOTS, journalState, type DeviceState, type SimDevice } from "./session.js";

/** Heap for the processes that lay out or read the image (not a boot: no budget to respect). */
const TOOL_HEAP = 1024 * 1024;
const TOOL_TIMEOUT_MS = 60_000;

/** How to run the unix port for one board. */
export interface UnixSetup {
  binary: string;
  target: Target;
  /** The requests the site answers go here; the device reads and clears it around each boot. */
  requests: SiteRequest[];
  /** Longest a boot may run before its process is ended (as a watchdog would reset the board). */
  timeoutMs?: number;
}

/** A board whose flash is a host file. */
export class UnixDevice implements SimDevice {
  private constructor(
    private readonly dir: string,
    private readonly setup: UnixSetup,
  ) {}

  private get image(): string {
    return join(this.dir, "flash.img");
  }

  /** One process of the board program on this image. */
  private run(commands: BoardCommand[], heapBytes: number, cutAfterWrites?: number, timeoutMs = TOOL_TIMEOUT_MS): Promise<BoardRun> {
    const { filesystem, blockSize } = this.setup.target.flash;
    return runBoard({
      binary: this.setup.binary,
      image: this.image,
      fs: filesystem === "fat" ? "fat" : "lfs2",
      blockSize,
      heapBytes,
      ...(cutAfterWrites !== undefined ? { cutAfterWrites } : {}),
      commands,
      timeoutMs,
    });
  }

  /** Formats a new image (room for the app twice over, and more) and writes `image`'s files to it. */
  static async create(image: FlashImage, setup: UnixSetup): Promise<UnixDevice> {
    const dir = await mkdtemp(join(tmpdir(), "gen-ota-simulate-unix-"));
    const device = new UnixDevice(dir, setup);
    const { blockSize, budgetBytes } = setup.target.flash;
    const bytes = Math.max(1024 * 1024, budgetBytes * 3);
    const handle = await open(device.image, "w");
    await handle.truncate(Math.ceil(bytes / blockSize) * blockSize);
    await handle.close();
    const commands: string[][] = [["format"]];
    let i = 0;
    for (const [path, content] of image) {
      if (content === null) continue;
      const host = join(dir, `put-${i++}.bin`);
      await writeFile(host, content);
      commands.push(["put", host, path]);
    }
    const run = await device.run(commands, TOOL_HEAP);
    if (run.code !== 0) throw new Error(`gen-ota simulate: cannot lay out the unix image\n${run.stdout}${run.stderr}`);
    for (let k = 0; k < i; k++) await rm(join(dir, `put-${k}.bin`), { force: true });
    return device;
  }

  /** One boot: a new process at the board's heap budget. */
  async boot(action: BootAction, cutAfter: number | null): Promise<BootResult & { writes: number }> {
    this.setup.requests.splice(0);
    const run = await this.run([["sim"], [action]], this.setup.target.heap.budgetBytes, cutAfter ?? undefined, this.setup.timeoutMs ?? TOOL_TIMEOUT_MS);
    const requests = this.setup.requests.splice(0);
    const { events, exception, output: lines } = run;
    const end: BootResult["end"] = run.timedOut ? "timeout" : run.code === POWER_CUT_EXIT ? "power-cut" : exception !== undefined ? "exception"
      : events.includes("confirmed") ? "confirmed" : events.includes("reset") ? "reset" : "returned";
    const exhausted = exception?.type === "MemoryError" || lines.some((line) => line.includes("memory allocation failed"));
    return {
      lines,
      errors: run.stderr.split("\n").filter((line) => line !== ""),
      requests,
      end,
      ...(exception !== undefined ? { exception: `${exception.type}: ${exception.message}` } : {}),
      heap: { kind: "live", bytes: run.peak ?? 0, exhausted },
      writes: run.writes ?? 0,
    };
  }

  /** appDir's version, app files and journal state, read by one process of the board program. */
  async appState(appDir: string): Promise<DeviceState> {
    const root = appDir.replace(/\/+$/, "");
    const run = await this.run([["ls", root], ...[`${root}/.version`, ...JOURNAL_SLOTS].map((path) => ["cat", path])], TOOL_HEAP);
    const files: Record<string, string> = {};
    for (const file of run.files) {
      const rel = file.path.slice(root.length + 1);
      if (!rel.split("/").some((part) => part.startsWith("."))) files[rel] = file.sha256;
    }
    const version = run.contents.get(`${root}/.version`)?.toString("utf8").slice(0, 64).trim() || null;
    return { version, files, journal: journalState(JOURNAL_SLOTS.map((path) => run.contents.get(path)?.toString("utf8"))) };
  }

  /** A board on a copy of this image. */
  async fork(): Promise<SimDevice> {
    const dir = await mkdtemp(join(tmpdir(), "gen-ota-simulate-unix-"));
    const copy = new UnixDevice(dir, this.setup);
    await copyFile(this.image, copy.image);
    return copy;
  }

  /** Deletes the image. */
  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
