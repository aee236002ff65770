/** The few git commands releases and simulations read a repository with: run, never a shell. */

import { spawnSync } from "node:child_process";

/** One git run: whether it exited 0, its output as bytes, its error text. */
export interface GitRun {
  ok: boolean;
  stdout: Buffer;
  stderr: string;
}

/** Runs `git args` in `cwd`, feeding `input` on stdin; never throws (a missing git is a failed run). */
export function git(args: readonly string[], cwd: string, input?: Buffer | string): GitRun {
  const run = spawnSync("git", args, { cwd, maxBuffer: 512 * 1024 * 1024, ...(input === undefined ? {} : { input }) });
  return {
    ok: run.status === 0,
    stdout: run.stdout ?? Buffer.alloc(0),
    stderr: run.error ? run.error.message : (run.stderr?.toString() ?? ""),
  };
}

/** The first line of a failed run's error text, for a message. */
export function gitError(run: GitRun, fallback: string): string {
  return run.stderr.trim().split("\n")[0] || fallback;
}

/** The top of the work tree `dir` lies in (a real path), or undefined when it lies in none. */
export function workTreeRoot(dir: string): string | undefined {
  const top = git(["rev-parse", "--show-toplevel"], dir);
  return top.ok ? top.stdout.toString("utf8").trim() : undefined;
}

/** The NUL-separated records of `-z` output, without the empty one after the last NUL. */
export function nulRecords(output: Buffer): string[] {
  const text = output.toString("utf8");
  return text === "" ? [] : text.replace(/\0$/, "").split("\0");
}
