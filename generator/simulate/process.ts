/** Runs a child process to completion without blocking the event loop (a local server may live in it). */
import { spawn } from "node:child_process";
import { launchCommand } from "./launcher.js";

export interface ProcessResult {
  /** Exit code; null when killed by a signal (e.g. the timeout). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Killed `graceMs` after printing `stopAfter.marker` (see runProcess). */
  stopped: boolean;
}

/** Ends the process `graceMs` after its stdout shows `marker`, if it has not ended by then. */
export interface StopAfter {
  marker: string;
  graceMs: number;
}

/** Spawns MicroPython `binary args` (through its launcher), collects its output, and kills it with SIGKILL after `timeoutMs`. */
export function runProcess(binary: string, args: readonly string[], options: { timeoutMs: number; cwd?: string; stopAfter?: StopAfter }): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const launch = launchCommand(binary, args);
    const child = spawn(launch.command, launch.args, { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let stopped = false;
    let stopTimer: NodeJS.Timeout | undefined;
    let tail = Buffer.alloc(0); // the end of the last chunk, for a marker split across two
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      out.push(chunk);
      const { stopAfter } = options;
      if (!stopAfter || stopTimer !== undefined) return;
      const recent = Buffer.concat([tail, chunk]);
      if (recent.includes(stopAfter.marker)) {
        stopTimer = setTimeout(() => {
          stopped = true;
          child.kill("SIGKILL");
        }, stopAfter.graceMs);
      }
      tail = recent.subarray(Math.max(0, recent.length - stopAfter.marker.length + 1));
    });
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(stopTimer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), timedOut: timedOut && !stopped, stopped });
    });
  });
}
