/** Loads MicroPython's WebAssembly port (@micropython/micropython-webassembly-pyscript) with types for what the simulator uses. */

/** A file node of the port's in-memory filesystem (Emscripten's FS). */
export interface EmNode {
  name: string;
  mode: number;
  parent: EmNode;
  mount: unknown;
  node_ops: Record<string, (...args: never[]) => unknown>;
  stream_ops: Record<string, (...args: never[]) => unknown>;
  contents?: unknown;
}

/** An open file of Emscripten's FS. */
export interface EmStream {
  node: EmNode;
  flags: number;
  path: string;
}

/** The parts of Emscripten's FS object the simulator calls. */
export interface EmFs {
  mkdir(path: string): void;
  mount(type: unknown, options: object, mountpoint: string): void;
  writeFile(path: string, data: Uint8Array): void;
  lookupPath(path: string): { node: EmNode };
  getPath(node: EmNode): string;
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  filesystems: { MEMFS: EmMemfs };
  ErrnoError: new (errno: number) => Error;
}

/** Emscripten's MEMFS, whose nodes hold the simulated flash's files. */
export interface EmMemfs {
  getFileDataAsTypedArray(node: EmNode): Uint8Array;
}

/** A Python error as the port raises it into JavaScript. */
export interface PythonError extends Error {
  /** The exception's type name, e.g. "SystemExit". */
  type: string;
}

/** One running MicroPython. */
export interface MicroPython {
  FS: EmFs;
  runPython(code: string): unknown;
  registerJsModule(name: string, module: object): void;
  _module: {
    getValue(address: number, type: "i8"): number;
    setValue(address: number, value: number, type: "i8"): void;
    _malloc(size: number): number;
    _free(address: number): void;
    /** Raises KeyboardInterrupt in the running Python at its next check. */
    _mp_sched_keyboard_interrupt(): void;
  };
}

interface WasmPackage {
  loadMicroPython(options: { heapsize?: number; pystack?: number; stdout?: (line: string) => void; stderr?: (line: string) => void; linebuffer?: boolean }): Promise<MicroPython>;
}

/** The npm package the embedded runtime runs on. */
export const WASM_PACKAGE = "@micropython/micropython-webassembly-pyscript";

let loaded: Promise<WasmPackage> | undefined;

/** A fresh MicroPython with a `heapBytes` GC heap; lines of its stdout and stderr go to the callbacks. */
export async function startMicroPython(heapBytes: number, stdout: (line: string) => void, stderr: (line: string) => void): Promise<MicroPython> {
  loaded ??= import(WASM_PACKAGE) as Promise<WasmPackage>;
  const { loadMicroPython } = await loaded;
  return loadMicroPython({ heapsize: heapBytes, stdout, stderr, linebuffer: true });
}

/** True for an error the port raised from Python code. */
export function isPythonError(error: unknown): error is PythonError {
  return error instanceof Error && error.name === "PythonError" && typeof (error as Partial<PythonError>).type === "string";
}
