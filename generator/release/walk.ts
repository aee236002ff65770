/** Finds the files of an app directory that a release publishes: no hidden entries, no __pycache__. */

import { readdirSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { ReleaseCode } from "./codes.js";

/** A file to publish: its `/`-path relative to the app directory, and where it is on disk. */
export interface AppFile {
  path: string;
  absolute: string;
}

/** Entries a release leaves out: hidden names (`.version`, `.git`...) and Python's bytecode caches. */
export function isSkipped(name: string): boolean {
  return name.startsWith(".") || name === "__pycache__";
}

function unreadable(message: string): Diagnostic {
  return { code: ReleaseCode.unreadable, severity: "error", message };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Lists every file under `root` (following symbolic links, refusing loops), in no particular order. */
export function listAppFiles(root: string, shownRoot: string = root): Result<AppFile[]> {
  const files: AppFile[] = [];
  const problems: Diagnostic[] = [];
  const visit = (dir: string, prefix: string, ancestors: ReadonlySet<string>): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      problems.push(unreadable(`cannot list ${prefix === "" ? shownRoot : `${shownRoot}/${prefix}`}: ${reason(error)}`));
      return;
    }
    for (const name of names) {
      if (isSkipped(name)) continue;
      const path = prefix === "" ? name : `${prefix}/${name}`;
      const absolute = join(dir, name);
      const shown = `${shownRoot}/${path}`;
      try {
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
    visit(root, "", new Set([realpathSync(root)]));
  } catch (error) {
    return fail([unreadable(`cannot read ${shownRoot}: ${reason(error)}`)]);
  }
  return problems.length > 0 ? fail(problems) : ok(files);
}
