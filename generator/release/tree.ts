/**
 * The app as a git tag holds it: `git ls-tree` of the app's folder at the tag and `git cat-file`
 * of its blobs, never the working copy, so a release or a simulation publishes what devices will
 * fetch from that tag. Symbolic links and submodules are refused (GEN_OTA_0711): the tag serves a
 * link's own text and a submodule's commit, never a file.
 */

import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { ReleaseCode } from "./codes.js";
import { git, gitError, nulRecords } from "./git.js";
import { linkProblem, SUBMODULE_MODE, SYMLINK_MODE } from "./tracked.js";
import { isHidden, isSkipped } from "./walk.js";

/** One file of the app at the tag: its path relative to the app's folder, and its bytes. */
export interface TreeFile {
  path: string;
  bytes: Buffer;
}

function tagProblem(message: string, hint?: string): Diagnostic {
  return { code: ReleaseCode.tag, severity: "error", message, ...(hint === undefined ? {} : { hint }) };
}

/** Whether `tag` names a commit in the repository at `root`. */
export function tagExists(root: string, tag: string): boolean {
  return git(["rev-parse", "--verify", "--quiet", `${tag}^{commit}`], root).ok;
}

/** The text of the file at `path` (from the repository's root) at `tag`, or undefined when the tag has none. */
export function fileAtTag(root: string, tag: string, path: string): string | undefined {
  const run = git(["cat-file", "blob", `${tag}^{commit}:${path}`], root);
  return run.ok ? run.stdout.toString("utf8") : undefined;
}

/** Every published file of the folder `appPath` (from the repository's root) at `tag`; `shown` names it in messages. */
export function readAppAtTag(root: string, tag: string, appPath: string, shown: string = `${tag}:${appPath}`, onHidden?: (path: string) => void): Result<TreeFile[]> {
  if (!tagExists(root, tag)) {
    return fail([tagProblem(`tag '${tag}' is not in the repository at ${root}`, "`git tag` lists the tags; in CI, fetch them (actions/checkout with fetch-depth: 0, or git fetch --tags)")]);
  }
  const kind = git(["cat-file", "-t", `${tag}^{commit}:${appPath}`], root);
  if (!kind.ok || kind.stdout.toString().trim() !== "tree") {
    return fail([
      tagProblem(
        `${shown} is not a folder: the tag has no ${appPath}/`,
        "appPath in the config names the app's folder from the repository's root (default: appDir without its leading /); was it committed before tagging?",
      ),
    ]);
  }
  const listing = git(["ls-tree", "-r", "-z", `${tag}^{commit}:${appPath}`], root);
  if (!listing.ok) return fail([tagProblem(`cannot list ${shown}: ${gitError(listing, "git ls-tree failed")}`)]);
  const problems: Diagnostic[] = [];
  const blobs: { path: string; object: string }[] = [];
  const reported = new Set<string>();
  for (const record of nulRecords(listing.stdout)) {
    // "<mode> <type> <object>\t<path>"
    const tab = record.indexOf("\t");
    const [mode = "", , object = ""] = record.slice(0, tab).split(" ");
    const path = record.slice(tab + 1);
    const segments = path.split("/");
    const hidden = segments.findIndex(isHidden);
    if (hidden >= 0) {
      // the outermost hidden entry, once: a folder with a trailing "/"
      const entry = segments.slice(0, hidden + 1).join("/") + (hidden < segments.length - 1 ? "/" : "");
      if (!reported.has(entry) && !segments.slice(0, hidden).some(isSkipped)) onHidden?.(entry);
      reported.add(entry);
    }
    if (segments.some(isSkipped)) continue;
    if (mode === SYMLINK_MODE || mode === SUBMODULE_MODE) {
      if (!reported.has(path)) problems.push(linkProblem(`${shown}/${path}`, mode));
      reported.add(path);
      continue;
    }
    blobs.push({ path, object });
  }
  if (problems.length > 0) return fail(problems);
  const contents = readBlobs(root, blobs.map((blob) => blob.object));
  if (!contents.ok) return fail([tagProblem(`cannot read ${shown}: ${contents.error}`)]);
  return ok(blobs.map((blob, index) => ({ path: blob.path, bytes: contents.value[index]! })));
}

/** The bytes of each blob, in order, from one `git cat-file --batch`. */
function readBlobs(root: string, objects: readonly string[]): { ok: true; value: Buffer[] } | { ok: false; error: string } {
  if (objects.length === 0) return { ok: true, value: [] };
  const run = git(["cat-file", "--batch"], root, `${objects.join("\n")}\n`);
  if (!run.ok) return { ok: false, error: gitError(run, "git cat-file failed") };
  const out = run.stdout;
  const value: Buffer[] = [];
  let at = 0;
  for (const object of objects) {
    // "<object> blob <size>\n<bytes>\n"
    const newline = out.indexOf(0x0a, at);
    const header = out.subarray(at, newline).toString("latin1").split(" ");
    if (header[0] !== object || header[1] !== "blob") return { ok: false, error: `unexpected git cat-file output for ${object}` };
    const size = Number(header[2]);
    value.push(Buffer.from(out.subarray(newline + 1, newline + 1 + size)));
    at = newline + 1 + size + 1;
  }
  return { ok: true, value };
}
