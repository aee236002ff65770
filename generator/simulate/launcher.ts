/**
 * How to start a MicroPython unix port on this host. A 32-bit x86 build (the one whose heap
 * figures mean what they mean on a board) runs directly where the kernel can run i386 programs,
 * and through `qemu-i386` (Debian's qemu-user; `GEN_OTA_QEMU` names another) where it cannot,
 * as on kernels built without IA32 emulation.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { delimiter, join } from "node:path";

const cache = new Map<string, string[]>();

/** The command line that starts `binary`: `[binary]`, or `[qemu, binary]` when only emulation runs it. */
export function micropythonLauncher(binary: string): string[] {
  let launch = cache.get(binary);
  if (launch === undefined) {
    launch = decide(binary);
    cache.set(binary, launch);
  }
  return launch;
}

/** `binary args` as a command and its arguments, through the launcher. */
export function launchCommand(binary: string, args: readonly string[]): { command: string; args: string[] } {
  const [command, ...prefix] = micropythonLauncher(binary);
  return { command: command!, args: [...prefix, ...args] };
}

function decide(binary: string): string[] {
  const path = onPath(binary);
  if (path === undefined || !isI386Elf(path) || runs([binary])) return [binary];
  const qemu = process.env["GEN_OTA_QEMU"] || "qemu-i386";
  if (runs([qemu, path])) return [qemu, path];
  return [binary]; // neither runs it: the caller reports the failure with the binary's own output
}

function runs(command: string[]): boolean {
  const [head, ...rest] = command;
  const probe = spawnSync(head!, [...rest, "-c", "pass"], { stdio: "ignore", timeout: 30_000 });
  return probe.status === 0;
}

/** `binary` itself when it names a file, else the first match on PATH. */
function onPath(binary: string): string | undefined {
  if (binary.includes("/")) return existsSync(binary) ? binary : undefined;
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
    const candidate = join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** An ELF file of class 32 for machine 3 (Intel 80386). */
function isI386Elf(path: string): boolean {
  const header = Buffer.alloc(20);
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    if (readSync(fd, header, 0, 20, 0) < 20) return false;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return header.readUInt32BE(0) === 0x7f454c46 && header[4] === 1 && header.readUInt16LE(18) === 3;
}
