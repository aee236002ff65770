/** What a release refuses before devices see it: a version that is not semver, names a device cannot fetch or its filesystem cannot hold. */

import semver from "semver";
import type { Diagnostic } from "../diagnostics.js";
import { MAX_APP_PATH_CHARS, reservedAppNameOf } from "../reserved-paths.js";
import { ReleaseCode } from "./codes.js";
import { deviceNameKey } from "./name-key.js";

/** Problems with `version` as the release's version (none if it is plain semver such as 1.4.2). */
export function checkVersion(version: string): Diagnostic[] {
  const bad = (message: string, hint: string): Diagnostic[] => [
    { code: ReleaseCode.badVersion, severity: "error", message, hint },
  ];
  if (/^[vV]\d/.test(version)) {
    return bad(
      `version '${version}' starts with 'v': that is the tag, not the version`,
      `drop the 'v': --version ${version.slice(1)} (devices add the tag prefix themselves)`,
    );
  }
  const parsed = semver.valid(version);
  if (parsed === null) {
    return bad(`version '${version}' is not a semver version`, "use MAJOR.MINOR.PATCH, e.g. 1.4.2 or 1.5.0-rc.1");
  }
  if (parsed !== version) {
    return bad(
      `version '${version}' is not written plainly: devices compare it as '${parsed}'`,
      `use --version ${parsed} (build metadata after '+' plays no part in version order)`,
    );
  }
  return [];
}

/** Characters FAT or littlefs cannot hold in a name, or that MicroPython paths cannot carry. */
const FORBIDDEN = /[\u0000-\u001f\u007f\\:*?"<>|]/;

/** Names a character for a message: printable ones quoted, others as U+XXXX. */
function describe(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, "0")}` : `'${char}'`;
}

/** The problem with one `/`-path as a device file name, if any. */
function pathProblem(path: string): string | undefined {
  const forbidden = FORBIDDEN.exec(path);
  if (forbidden) return `has ${describe(forbidden[0])}, which a device filesystem refuses in names`;
  if (path.includes("\uFFFD")) return "is not valid UTF-8";
  if (path.split("/").some((segment) => /[ .]$/.test(segment))) {
    return "has a name ending in a space or '.', which FAT drops silently";
  }
  return undefined;
}

/** Why every device would refuse a manifest naming this path (templates/ota_manifest.py.hbs, _check_path), if it would. */
function deviceProblem(path: string): { problem: string; hint: string } | undefined {
  const reserved = reservedAppNameOf(path);
  if (reserved !== undefined) {
    return {
      problem: `is a name the updater keeps for itself (${reserved}, in any case): devices refuse a release that ships it`,
      hint: "rename it, or move it into a folder of the app: at its top, the name could stand in for the updater's own module or boot script",
    };
  }
  if (path.length > MAX_APP_PATH_CHARS) {
    return {
      problem: `is ${path.length} characters long: devices refuse a release with a path over ${MAX_APP_PATH_CHARS}`,
      hint: "shorten its folder or file names",
    };
  }
  return undefined;
}

/**
 * ASCII a device can fetch by name: RFC 3986's unreserved characters and the sub-delimiters, '@'
 * and '+' that a path carries as they are, and the space, '%' and '#' that the device
 * percent-encodes itself (templates/ota_stage.py.hbs, `_quote`).
 */
const FETCHABLE = /^[A-Za-z0-9\-._~!$&'()+,;=@ %#/]*$/;

/**
 * Why devices cannot fetch a file by this name, if they cannot. The device puts the name into the
 * file URL as it is but for a space, '%' and '#': a non-ASCII name goes out as raw UTF-8, which
 * servers answer with a 404 (GitHub's raw host among them), on every boot. Refused rather than
 * encoded on the device: MicroPython's FAT (FatFs built by default for code page 437, without Unicode names: lib/oofatfs/ffconf.h)
 * could not be relied on to store such a name either.
 */
function fetchProblem(path: string): string | undefined {
  if (FETCHABLE.test(path)) return undefined;
  const odd = [...path].find((char) => !FETCHABLE.test(char)) ?? "";
  const code = odd.codePointAt(0) ?? 0;
  if (code > 0x7f) return `has ${odd} (U+${code.toString(16).toUpperCase().padStart(4, "0")}), not ASCII: devices send file names in URLs unencoded, and servers answer such a request with a 404`;
  return `has '${odd}', which devices put into the file URL unencoded and a server may read otherwise`;
}

/** Problems with the paths of a release: forbidden characters, names devices cannot fetch, and names that FAT (case-insensitive) would merge. */
export function checkPaths(paths: readonly string[], shownRoot: string): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const seen = new Map<string, string>();
  const reported = new Set<string>();
  for (const path of paths) {
    const problem = pathProblem(path);
    const refused = problem === undefined ? deviceProblem(path) : undefined;
    if (problem !== undefined) {
      problems.push({
        code: ReleaseCode.badPath,
        severity: "error",
        message: `${shownRoot}/${path} ${problem}`,
        hint: "rename it, or move it out of the app directory",
      });
    } else if (refused !== undefined) {
      problems.push({ code: ReleaseCode.deviceRefuses, severity: "error", message: `${shownRoot}/${path} ${refused.problem}`, hint: refused.hint });
    } else {
      const unfetchable = fetchProblem(path);
      if (unfetchable !== undefined) {
        problems.push({
          code: ReleaseCode.unfetchable,
          severity: "error",
          message: `${shownRoot}/${path} ${unfetchable}`,
          hint: "rename it with ASCII letters, digits and - . _ (what every server and device filesystem takes as it is)",
        });
      }
    }
    const segments = path.split("/");
    for (let end = 1; end <= segments.length; end++) {
      const prefix = segments.slice(0, end).join("/");
      const key = prefix.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, prefix);
      } else if (first !== prefix && !reported.has(`${first}\n${prefix}`)) {
        reported.add(`${first}\n${prefix}`);
        problems.push({
          code: ReleaseCode.caseClash,
          severity: "error",
          message: `${shownRoot}/${first} and ${shownRoot}/${prefix} differ only in case: one name on a FAT filesystem`,
          hint: "rename one of them",
        });
      }
    }
  }
  return [...problems, ...sharedNameKeys([...seen.keys()], shownRoot)];
}

/** Names (files and folders, lowercased) that share a device name key: each device would refuse the release. */
function sharedNameKeys(names: readonly string[], shownRoot: string): Diagnostic[] {
  const byKey = new Map<number, string>();
  const problems: Diagnostic[] = [];
  for (const name of names) {
    const key = deviceNameKey(name);
    const first = byKey.get(key);
    if (first === undefined) {
      byKey.set(key, name);
      continue;
    }
    problems.push({
      code: ReleaseCode.deviceRefuses,
      severity: "error",
      message: `${shownRoot}/${first} and ${shownRoot}/${name} share the 30-bit key devices tell names apart by: devices refuse a release that holds both (about 2 in a million releases of 60 files meet this)`,
      hint: "rename one of them",
    });
  }
  return problems;
}
