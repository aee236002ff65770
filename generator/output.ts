/** Writing generated files atomically (board-folder.ts decides what goes where and checks it). */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface OutputFile {
  /** Path relative to the output directory, `/`-separated. */
  path: string;
  contents: string | Uint8Array;
}

/** Writes each file through a temp file and a rename: a crash leaves the old file or the new one. */
export function writeAtomically(outDir: string, files: readonly OutputFile[]): void {
  for (const file of files) {
    const target = join(outDir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    const temp = `${target}.tmp-${process.pid}`;
    writeFileSync(temp, file.contents);
    renameSync(temp, target);
  }
}

/** Size in bytes of a generated file. */
export function byteLength(contents: string | Uint8Array): number {
  return typeof contents === "string" ? Buffer.byteLength(contents, "utf8") : contents.byteLength;
}
