/** Finds the files of an app directory that a release publishes: no hidden entries, no __pycache__. */

import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { ReleaseCode } from "./codes.js";

/** A file to publish: its `/`-path relative to the app directory, and where it is on disk. */
export interface AppFile {
  path: string;
  absolute: string;
}

/** Entries a release leaves out: hidden names (`.version`, `.git`...) and Python's bytecode caches. */
export function isSkipped(name: string): boolean {
  return isHidden(name) || name === "__pycache__";
}

/** A hidden name: devices refuse a manifest with one (ota_manifest), so a release leaves it out and says so. */
export function isHidden(name: string): boolean {
  return name.startsWith(".");
}

function unreadable(message: string): Diagnostic {
  return { code: ReleaseCode.unreadable, severity: "error", message };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** How listAppFiles treats symbolic links. */
export interface WalkOptions {
  /**
   * "follow" (default): every link is followed (loops refused). "inside": a link whose target lies
   * outside `root` is refused (GEN_OTA_0711), since the tag devices fetch from holds the link,
   * never what it points at outside the app.
   */
  links?: "follow" | "inside";
  /** Told each hidden entry left out (its path, a folder's with a trailing "/"), once per entry, not what is inside it. */
  onHidden?: (path: string) => void;
}

/** True when `inner` is `outer` or below it (both absolute, real paths). */
function isInside(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Lists every file under `root` (following symbolic links, refusing loops), in no particular order. */
export function listAppFiles(root: string, shownRoot: string = root, options: WalkOptions = {}): Result<AppFile[]> {
  const files: AppFile[] = [];
  const problems: Diagnostic[] = [];
  let realRoot = root;
  const visit = (dir: string, prefix: string, ancestors: ReadonlySet<string>): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      problems.push(unreadable(`cannot list ${prefix === "" ? shownRoot : `${shownRoot}/${prefix}`}: ${reason(error)}`));
      return;
    }
    for (const name of names) {
      const path = prefix === "" ? name : `${prefix}/${name}`;
      if (isHidden(name)) options.onHidden?.(isDirectory(join(dir, name)) ? `${path}/` : path);
      if (isSkipped(name)) continue;
      const absolute = join(dir, name);
      const shown = `${shownRoot}/${path}`;
      try {
        if (options.links === "inside" && lstatSync(absolute).isSymbolicLink()) {
          const target = realpathOrUndefined(absolute);
          if (target === undefined || !isInside(target, realRoot)) {
            problems.push({
              code: ReleaseCode.link,
              severity: "error",
              message: `${shown} is a symbolic link to ${readlinkSync(absolute)}, outside ${shownRoot}: devices fetch files from the tag, which holds the link, not the file`,
              hint: "copy the file into the app directory (or move the app's code so no link is needed)",
            });
            continue;
          }
        }
        const stat = statSync(absolute);
        if (stat.isFile()) {
          files.push({ path, absolute });
        } else if (stat.isDirectory()) {
          const real = realpathSync(absolute);
          if (ancestors.has(real)) problems.push(unreadable(`${shown} links back to a directory that contains it`));
          else visit(absolute, path, new Set([...ancestors, real]));
        } else {
          problems.push(unreadable(`${shown} is neither a file nor a directory`));
        }
      } catch (error) {
        problems.push(unreadable(`cannot read ${shown}: ${reason(error)}`));
      }
    }
  };
  try {
    realRoot = realpathSync(root);
    visit(root, "", new Set([realRoot]));
  } catch (error) {
    return fail([unreadable(`cannot read ${shownRoot}: ${reason(error)}`)]);
  }
  return problems.length > 0 ? fail(problems) : ok(files);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The real path of `path`, or undefined for a dangling link. */
function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
