/**
 * A board's output folder as one unit: the files gen-ota writes there and a small stamp that
 * records them and the flags they were made with, so that writing can remove what gen-ota no
 * longer produces and --check can report stale, missing and extra files, and folders of boards
 * the config no longer names.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeAtomically, type OutputFile } from "./output.js";

/** The stamp's file name in a board folder (not for the board: copy the other files). */
export const STAMP_FILE = ".gen-ota.json";

/** What a stamp records. */
export interface Stamp {
  generator: string;
  board: string;
  mpy: boolean;
  /** The output's files, relative to the board folder, sorted. */
  files: string[];
}

/** One finding of --check, relative to the board folder (or the output folder, for `folder`). */
export interface CheckFinding {
  status: "stale" | "missing" | "extra";
  path: string;
  why?: string;
}

/** The stamp of output `files` made for `board` with these flags. */
export function stampOf(generator: string, board: string, mpy: boolean, files: readonly OutputFile[]): Stamp {
  return { generator, board, mpy, files: files.map((file) => file.path).sort() };
}

/** The stamp in `boardDir`, or null if there is none (or it cannot be read). */
export function readStamp(boardDir: string): Stamp | null {
  try {
    const stamp = JSON.parse(readFileSync(join(boardDir, STAMP_FILE), "utf8")) as Partial<Stamp>;
    if (typeof stamp.board !== "string" || !Array.isArray(stamp.files)) return null;
    return { generator: String(stamp.generator), board: stamp.board, mpy: stamp.mpy === true, files: stamp.files.map(String) };
  } catch {
    return null;
  }
}

/** Writes `files` and their stamp into `boardDir`, then removes the files an earlier stamp listed that are no longer produced. */
export function writeBoardFolder(boardDir: string, files: readonly OutputFile[], stamp: Stamp): string[] {
  const before = readStamp(boardDir);
  writeAtomically(boardDir, [...files, { path: STAMP_FILE, contents: `${JSON.stringify(stamp, null, 2)}\n` }]);
  const removed = (before?.files ?? []).filter((path) => !stamp.files.includes(path) && safeRelative(path));
  for (const path of removed) rmSync(join(boardDir, path), { force: true });
  for (const path of removed) removeEmptyParents(boardDir, path);
  return removed;
}

/** Removes a board folder that gen-ota wrote (only the files its stamp lists, then the folder if empty). */
export function removeBoardFolder(boardDir: string): string[] {
  const stamp = readStamp(boardDir);
  if (!stamp) return [];
  const removed = [...stamp.files.filter(safeRelative), STAMP_FILE];
  for (const path of removed) rmSync(join(boardDir, path), { force: true });
  for (const path of removed) removeEmptyParents(boardDir, path);
  try {
    rmdirSync(boardDir);
  } catch {
    // not empty: the user's own files stay
  }
  return removed;
}

/** --check of one board folder against what would be written now. */
export function checkBoardFolder(boardDir: string, files: readonly OutputFile[], stamp: Stamp): CheckFinding[] {
  const findings: CheckFinding[] = [];
  for (const file of files) {
    const path = join(boardDir, file.path);
    if (!existsSync(path)) findings.push({ status: "missing", path: file.path });
    else if (!sameContents(readFileSync(path), file.contents)) findings.push({ status: "stale", path: file.path });
  }
  const written = readStamp(boardDir);
  if (written === null) {
    findings.push({ status: "missing", path: STAMP_FILE, why: "no record of what gen-ota wrote here" });
  } else if (written.mpy !== stamp.mpy) {
    findings.push({ status: "stale", path: STAMP_FILE, why: `written ${written.mpy ? "with" : "without"} --mpy, checked ${stamp.mpy ? "with" : "without"}` });
  }
  const produced = new Set([...files.map((file) => file.path), STAMP_FILE]);
  for (const path of listFiles(boardDir)) {
    if (!produced.has(path)) findings.push({ status: "extra", path, why: "gen-ota does not produce it" });
  }
  return findings;
}

/** Folders under `outDir` with a stamp for a board not in `boards`: left from boards the config dropped. */
export function leftoverBoardFolders(outDir: string, boards: readonly string[]): string[] {
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) return [];
  return readdirSync(outDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !boards.includes(entry.name) && readStamp(join(outDir, entry.name)) !== null)
    .map((entry) => entry.name)
    .sort();
}

/**
 * Whether the bytes on disk are the generated ones. Text compares without regard to line
 * endings, so that a checkout with CRLF (git's autocrlf on Windows) is not stale; .mpy byte for byte.
 */
function sameContents(onDisk: Buffer, generated: string | Uint8Array): boolean {
  if (typeof generated !== "string") return onDisk.equals(Buffer.from(generated));
  return onDisk.toString("utf8").replace(/\r\n/g, "\n") === generated.replace(/\r\n/g, "\n");
}

/** Every file below `dir`, relative and `/`-separated, sorted. */
function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort();
}

/** A stamp path that stays inside the folder (a stamp is a file anyone can edit). */
function safeRelative(path: string): boolean {
  return path !== "" && !path.startsWith("/") && !path.split("/").some((part) => part === ".." || part === "");
}

function removeEmptyParents(root: string, path: string): void {
  for (let dir = dirname(join(root, path)); dir.length > root.length; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty, or gone
    }
  }
}
