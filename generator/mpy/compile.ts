/** Compiles MicroPython source to .mpy with the real mpy-cross (WebAssembly builds from npm) for ABI 5 or 6. */

import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { MpyCode } from "./codes.js";
import { withoutFetch } from "./isolate.js";
import { serialQueue } from "./queue.js";
import { tracebackDiagnostic } from "./traceback.js";

/** An mpy ABI gen-ota can compile for: 5 (MicroPython 1.12-1.18) or 6 (1.19 and later). */
export type { MpyAbi } from "../../targets/index.js";
import type { MpyAbi } from "../../targets/index.js";

/** Which mpy-cross to run, and for which native architecture. */
export interface MpyCompileOptions {
  abi: MpyAbi;
  /** -march for native code; bytecode-only output does not depend on it. */
  arch?: string;
}

/** -march names each mpy-cross build accepts (from its usage text). */
export const MPY_CROSS_ARCHES: Readonly<Record<MpyAbi, readonly string[]>> = {
  5: ["x86", "x64", "armv6", "armv7m", "armv7em", "armv7emsp", "armv7emdp", "xtensa", "xtensawin"],
  6: ["x86", "x64", "armv6", "armv6m", "armv7m", "armv7em", "armv7emsp", "armv7emdp", "xtensa", "xtensawin"],
};

interface CompileResult {
  status: number;
  mpy?: Uint8Array;
  out: string[];
  err: string[];
}
type PybricksCompile = (fileName: string, fileContents: string, options?: string[]) => Promise<CompileResult>;

/** A compile that never answers (a wasm abort skips the callback) fails after this long. */
const TIMEOUT_MS = 60_000;
/** Name of the output inside the module's in-memory filesystem. */
const OUTPUT_NAME = "__gen_ota_out__.mpy";

const enqueue = serialQueue();
const compilers = new Map<MpyAbi, PybricksCompile>();

/** Loads (once) the pybricks package for `abi`; called with fetch unset. */
async function compilerFor(abi: MpyAbi): Promise<PybricksCompile> {
  const cached = compilers.get(abi);
  if (cached !== undefined) return cached;
  const loaded =
    abi === 5
      ? (await import("@pybricks/mpy-cross-v5")).default.compile
      : (await import("@pybricks/mpy-cross-v6")).default.compile;
  compilers.set(abi, loaded);
  return loaded;
}

/** Rejects with a message if `promise` has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The last path segment: the name the module's in-memory filesystem and tracebacks use. */
function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() || fileName;
}

function toolFailure(message: string): Diagnostic {
  return { code: MpyCode.toolFailure, severity: "error", message };
}

/** Compiles `source` to .mpy bytes; a syntax error comes back as a diagnostic at `fileName`:line. */
export async function compileMpy(
  source: string,
  fileName: string,
  options: MpyCompileOptions,
): Promise<Result<Uint8Array>> {
  const { abi, arch } = options;
  if (abi !== 5 && abi !== 6) {
    return fail([toolFailure(`no mpy-cross for mpy ABI ${String(abi)}: gen-ota has ABI 5 and 6`)]);
  }
  const arches = MPY_CROSS_ARCHES[abi];
  if (arch !== undefined && !arches.includes(arch)) {
    return fail([
      {
        code: MpyCode.unknownArch,
        severity: "error",
        message: `mpy-cross for ABI ${abi} has no architecture '${arch}'`,
        hint: `use one of ${arches.join(", ")}`,
      },
    ]);
  }
  const args = ["-o", OUTPUT_NAME, ...(arch === undefined ? [] : [`-march=${arch}`])];
  const name = baseName(fileName);
  let result: CompileResult;
  try {
    result = await enqueue(() =>
      withoutFetch(async () => within((await compilerFor(abi))(name, source, args), TIMEOUT_MS)),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail([toolFailure(`mpy-cross (ABI ${abi}) did not run on ${fileName}: ${reason}`)]);
  }
  if (result.status === 0 && result.mpy !== undefined) return ok(result.mpy);
  const output = result.err.length > 0 ? result.err : result.out;
  return fail([tracebackDiagnostic(output, source, fileName, abi)]);
}
