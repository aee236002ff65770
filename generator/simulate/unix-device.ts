/**
 * A simulated board on MicroPython's unix port: its flash in a host file (the board's own
 * littlefs2 or FAT, through a block device that counts writes), each boot a new process run at
 * the board's heap budget (py/unix_boot.py; the image is laid out and read by py/unix_flash.py), the network a real loopback socket to the site.
 */

import { copyFile, mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { runProcess } from "./process.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Target } from "../../targets/index.js";
import { packageRoot } from "../paths.js";
import type { FlashImage } from "./flash.js";
import type { BootAction, BootResult, SiteRequest } from "./runtime.js";
import { JOURNAL_SLOTS, journalState, type DeviceState, type SimDevice } from "./session.js";

const script = (name: string): string => join(packageRoot(), "generator", "simulate", "py", name);
const POWER_CUT_EXIT = 75;

/** One harness process's output. */
interface Run {
  code: number | null;
  lines: string[];
  errors: string[];
  timedOut: boolean;
}

/** Runs py/`name` (unix_flash.py or unix_boot.py) with `args`, collecting its output lines. */
async function runHarness(binary: string, heapBytes: number, name: string, args: string[], timeoutMs: number): Promise<Run> {
  const result = await runProcess(binary, ["-X", `heapsize=${heapBytes}`, script(name), ...args], { timeoutMs });
  const split = (text: string): string[] => text.split("\n").map((l) => l.replace(/\r$/, "")).filter((l, i, all) => l !== "" || i < all.length - 1);
  return { code: result.code, lines: split(result.stdout), errors: split(result.stderr), timedOut: result.timedOut };
}

/** How to run the unix port for one board. */
export interface UnixSetup {
  binary: string;
  target: Target;
  /** The requests the site answers go here; the device reads and clears it around each boot. */
  requests: SiteRequest[];
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

  private get fsArg(): string {
    return `${this.setup.target.flash.filesystem === "fat" ? "fat" : "lfs2"}:${this.setup.target.flash.blockSize}`;
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
    const run = await runHarness(setup.binary, 1024 * 1024, "unix_flash.py", [device.image, device.fsArg, ...commands.flatMap((c, k) => (k === 0 ? c : ["--", ...c]))], 60_000);
    if (run.code !== 0) throw new Error(`gen-ota simulate: cannot lay out the unix image\n${[...run.lines, ...run.errors].join("\n")}`);
    for (let k = 0; k < i; k++) await rm(join(dir, `put-${k}.bin`), { force: true });
    return device;
  }

  /** One boot: a new process at the board's heap budget. */
  async boot(action: BootAction, cutAfter: number | null): Promise<BootResult & { writes: number }> {
    this.setup.requests.splice(0);
    const run = await runHarness(this.setup.binary, this.setup.target.heap.budgetBytes, "unix_boot.py", [this.image, this.fsArg, String(cutAfter ?? -1), action], this.setup.timeoutMs ?? 60_000);
    const requests = this.setup.requests.splice(0);
    const value = (tag: string): string | undefined => run.lines.find((line) => line.startsWith(`HARNESS ${tag} `))?.slice(`HARNESS ${tag} `.length);
    const events = run.lines.filter((line) => line.startsWith("HARNESS EVENT ")).map((line) => line.slice("HARNESS EVENT ".length));
    const exception = value("EXC");
    const lines = run.lines.filter((line) => !line.startsWith("HARNESS "));
    const end: BootResult["end"] = run.timedOut ? "timeout" : run.code === POWER_CUT_EXIT ? "power-cut" : exception !== undefined ? "exception"
      : events.includes("confirmed") ? "confirmed" : events.includes("reset") ? "reset" : "returned";
    const exhausted = exception?.startsWith("MemoryError") === true || lines.some((line) => line.includes("memory allocation failed"));
    return {
      lines,
      errors: run.errors,
      requests,
      end,
      ...(exception !== undefined ? { exception: exception.replace(/^(\S+) /, "$1: ") } : {}),
      heap: { kind: "live", bytes: Number(value("PEAK") ?? 0), exhausted },
      writes: Number(value("WRITES") ?? 0),
    };
  }

  /** appDir's version, app files and journal state, read by a unix_flash.py process. */
  async appState(appDir: string): Promise<DeviceState> {
    const root = appDir.replace(/\/+$/, "");
    const run = await runHarness(this.setup.binary, 1024 * 1024, "unix_flash.py", [this.image, this.fsArg, "ls", root, "--", "cat", JOURNAL_SLOTS[0], "--", "cat", JOURNAL_SLOTS[1]], 60_000);
    const files: Record<string, string> = {};
    for (const line of run.lines) {
      const match = /^HARNESS FILE (\S+) ([0-9a-f]{64})$/.exec(line);
      const rel = match ? match[1]!.slice(root.length + 1) : "";
      if (match && !rel.split("/").some((part) => part.startsWith("."))) files[rel] = match[2]!;
    }
    const version = run.lines.find((line) => line.startsWith("HARNESS VERSION "))?.slice("HARNESS VERSION ".length) ?? null;
    const journals = run.lines.filter((line) => line.startsWith("HARNESS CAT ")).map((line) => line.slice("HARNESS CAT ".length));
    return { version, files, journal: journalState(journals) };
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
