/**
 * What `gen-ota release --dir` can tell from git about the files it found: devices fetch each file
 * from the tag, so a file git does not track (untracked or ignored) is one they would never get,
 * and a tracked symbolic link is served as the link's own text. Nothing is said outside a git work
 * tree.
 */

import { realpathSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import { ReleaseCode } from "./codes.js";
import { git, nulRecords, workTreeRoot } from "./git.js";
import type { AppFile } from "./walk.js";

const SYMLINK_MODE = "120000";
const SUBMODULE_MODE = "160000";

/** Problems of `files` (found under `dir`) against git's index; none when `dir` is in no work tree. */
export function checkTracked(dir: string, files: readonly AppFile[], shownRoot: string): Diagnostic[] {
  const realDir = realpathSync(dir);
  const root = workTreeRoot(realDir);
  if (root === undefined) return [];
  const inRepo = relative(root, realDir).split(sep).join("/");
  const prefix = inRepo === "" ? "" : `${inRepo}/`;
  // index entries: "<mode> <object> <stage>\t<path from the root>"
  const modes = new Map<string, string>();
  for (const record of nulRecords(git(["ls-files", "-z", "-s", "--full-name", "--", "."], realDir).stdout)) {
    const tab = record.indexOf("\t");
    modes.set(record.slice(tab + 1), record.split(" ")[0] ?? "");
  }
  const ignored = new Set(nulRecords(git(["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--full-name", "--", "."], realDir).stdout));
  const problems: Diagnostic[] = [];
  const reportedLinks = new Set<string>();
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const repoPath = `${prefix}${file.path}`;
    const link = linkOnTheWay(file.path, prefix, modes);
    if (link !== undefined) {
      if (!reportedLinks.has(link.path)) {
        reportedLinks.add(link.path);
        problems.push(linkProblem(`${shownRoot}/${link.path}`, link.mode));
      }
      continue;
    }
    if (modes.has(repoPath)) continue;
    const why = ignored.has(repoPath) ? "is ignored by git (.gitignore)" : "is not tracked by git";
    problems.push({
      code: ReleaseCode.untracked,
      severity: "error",
      message: `${shownRoot}/${file.path} ${why}: devices fetch files from the tag, where it is not`,
      hint: ignored.has(repoPath)
        ? "move it out of the app directory, or stop ignoring it and commit it before tagging"
        : `commit it before tagging (git add ${join(shownRoot, file.path)}), or move it out of the app directory`,
    });
  }
  return problems;
}

/** The tracked link or submodule at `path` or above it in the app, if any. */
function linkOnTheWay(path: string, prefix: string, modes: ReadonlyMap<string, string>): { path: string; mode: string } | undefined {
  const segments = path.split("/");
  for (let end = 1; end <= segments.length; end++) {
    const part = segments.slice(0, end).join("/");
    const mode = modes.get(`${prefix}${part}`);
    if (mode === SYMLINK_MODE || mode === SUBMODULE_MODE) return { path: part, mode };
  }
  return undefined;
}

/** GEN_OTA_0711 for a symbolic link (git mode 120000) or a submodule (160000) where devices expect files. */
export function linkProblem(shown: string, mode: string): Diagnostic {
  return mode === SUBMODULE_MODE
    ? {
        code: ReleaseCode.link,
        severity: "error",
        message: `${shown} is a git submodule: devices fetch files from this repository's tag, which holds only the submodule's commit`,
        hint: "copy the files the app needs into the app directory",
      }
    : {
        code: ReleaseCode.link,
        severity: "error",
        message: `${shown} is a symbolic link in git: devices fetching it from the tag get the link's target path as the file's contents`,
        hint: "replace the link with the file itself",
      };
}

export { SUBMODULE_MODE, SYMLINK_MODE };
