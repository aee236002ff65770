/**
 * The embedded runtime: one boot of the simulated board in MicroPython's WebAssembly port, in
 * this process. The flash is the FlashModel's image; the network is the GitHub-like site through
 * the socket shim; the board's missing modules come from py/sim_board.py.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../paths.js";
import { simnetModule } from "./embedded-net.js";
import { mountFlash } from "./embedded-fs.js";
import { PowerCut, type FlashModel } from "./flash.js";
import type { GithubSite } from "./github.js";
import type { BootAction, BootResult, SiteRequest } from "./runtime.js";
import { isPythonError, startMicroPython } from "./wasm.js";

/** Host names and port the embedded network answers: the endpoints' host and the download host. */
export const EMBEDDED_HOSTS = ["127.0.0.1", "localhost"] as const;
/** Port of the embedded network (the default HTTP port, so URLs carry none). */
export const EMBEDDED_PORT = 80;

/** The simulator's own Python, shipped beside this file's sources. */
export function simulatorPython(name: string): string {
  return readFileSync(join(packageRoot(), "generator", "simulate", "py", name), "utf8");
}

/** What one embedded boot needs. */
export interface EmbeddedBoot {
  model: FlashModel;
  site: GithubSite;
  socketModule: string;
  heapBytes: number;
  action: BootAction;
  /** Longest the boot may run; then the board is reset (a KeyboardInterrupt the app cannot catch as an Exception). */
  timeoutMs: number;
}

/** Runs one boot; a power cut or a crash ends it like on the board, and is reported, never thrown. */
export async function bootEmbedded(boot: EmbeddedBoot): Promise<BootResult> {
  const lines: string[] = [];
  const errors: string[] = [];
  const requests: SiteRequest[] = [];
  const events: string[] = [];
  let peak = 0;
  let base = 0;
  const mp = await startMicroPython(boot.heapBytes, (line) => lines.push(line), (line) => errors.push(line));
  mountFlash(mp.FS, boot.model);
  // The port runs on this thread, so the deadline is checked whenever Python calls out: a print,
  // a socket call, a heap sample, a sleep (py/sim_board.py). A loop that calls none of them is not
  // interrupted here; the unix runtime ends its process.
  const deadline = Date.now() + boot.timeoutMs;
  let timedOut = false;
  const checkDeadline = (): void => {
    if (Date.now() < deadline) return;
    timedOut = true;
    mp._module._mp_sched_keyboard_interrupt(); // again at every call out, should the app catch it
  };
  const sample = (allocated: number): void => {
    peak = Math.max(peak, allocated);
    checkDeadline();
  };
  mp.registerJsModule("simnet", simnetModule(mp, boot.site, { hosts: EMBEDDED_HOSTS, port: EMBEDDED_PORT, onSample: sample, onRequest: (r) => requests.push(r) }));
  mp.registerJsModule("simhost", {
    sample: (allocated: number) => sample(allocated),
    event: (name: string) => void events.push(name),
    tick: () => checkDeadline(),
    base: (allocated: number) => void (base = allocated),
  });
  const socketSource = simulatorPython("sim_socket.py");
  mp.runPython(
    [
      "import sys, vfs, os",
      // The port cannot make module objects: a class holding the shim's globals stands in for it.
      "_g = {'__name__': " + JSON.stringify(boot.socketModule) + "}",
      `exec(${JSON.stringify(socketSource)}, _g)`,
      `sys.modules[${JSON.stringify(boot.socketModule)}] = type(${JSON.stringify(boot.socketModule)}, (), _g)`,
      "del _g",
      `_g = {'__name__': 'sim_board'}`,
      `exec(${JSON.stringify(simulatorPython("sim_board.py"))}, _g)`,
      "sys.modules['machine'] = sys.modules['network'] = type('sim_board', (), _g)",
      "_g['install_clock']()",
      "del _g",
      "import simhost",
      "os.chdir('/')",
      "sys.path.clear()",
      "sys.path.extend(('', '/lib'))",
    ].join("\n"),
  );
  // A new top-level call: the port collects garbage only here, so this is the board's heap at power-on.
  mp.runPython("import gc\nsimhost.base(gc.mem_alloc())");
  peak = 0;
  const script = boot.action === "boot" ? "import main" : "import ota\nota.update()";
  let end: BootResult["end"] = "returned";
  let exception: string | undefined;
  try {
    mp.runPython(`try:\n${indent(script)}\nfinally:\n    simhost.sample(gc.mem_alloc())`);
  } catch (error) {
    if (timedOut && isPythonError(error) && error.type === "KeyboardInterrupt") end = "timeout";
    else if (error instanceof PowerCut) end = "power-cut";
    else if (isPythonError(error) && error.type === "SystemExit") end = events.includes("confirmed") ? "confirmed" : events.includes("reset") ? "reset" : "returned";
    else if (isPythonError(error)) {
      end = "exception";
      exception = lastLine(error.message);
    } else throw error;
  }
  return { lines, errors, requests, end, exception, heap: { kind: "allocated", bytes: Math.max(0, peak - base) } };
}

function indent(code: string): string {
  return code.split("\n").map((line) => `    ${line}`).join("\n");
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop() ?? text;
}
