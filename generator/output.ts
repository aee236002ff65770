/** Writing generated files: atomically, and comparing against what is committed for --check. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface OutputFile {
  /** Path relative to the output directory, `/`-separated. */
  path: string;
  contents: string | Uint8Array;
}

export type FileStatus = "same" | "stale" | "missing";

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

/** Whether the file on disk holds exactly these bytes. */
export function compareWithDisk(outDir: string, file: OutputFile): FileStatus {
  const target = join(outDir, file.path);
  if (!existsSync(target)) return "missing";
  const wanted = typeof file.contents === "string" ? Buffer.from(file.contents, "utf8") : Buffer.from(file.contents);
  return readFileSync(target).equals(wanted) ? "same" : "stale";
}

/** Size in bytes of a generated file. */
export function byteLength(contents: string | Uint8Array): number {
  return typeof contents === "string" ? Buffer.byteLength(contents, "utf8") : contents.byteLength;
}
