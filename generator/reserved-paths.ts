/**
 * The device paths the updater owns: one list, read by the config checks (appDir and secretsFile
 * may not be one of them, GEN_OTA_0205 and GEN_OTA_0220) and rendered into the generated Python
 * (the directories ota.py uses, the names a manifest may not ship at the top of appDir).
 */

/** Where the updater keeps its state on the device. */
export const UPDATER_DIRS = {
  /** Staging: complete once `/next/.version` exists. */
  next: "/next",
  /** The previous version, for revert() and rollback. */
  prev: "/prev",
  /** Directories on their way out. */
  trash: "/ota_trash",
  /** The journal's two slots, `/ota.j0` and `/ota.j1` (templates/ota.py.hbs). */
  journal: "/ota.j",
} as const;

/** A device path the updater owns. `*` in the last segment stands for any run of characters. */
export interface ReservedPath {
  pattern: string;
  /** Whether everything under the path is the updater's too. */
  tree: boolean;
  /** What is kept there, for diagnostics: "<pattern> holds <holds>". */
  holds: string;
}

export const RESERVED_PATHS: readonly ReservedPath[] = [
  { pattern: "/", tree: false, holds: "the root: the updater would replace the whole filesystem" },
  { pattern: UPDATER_DIRS.next, tree: true, holds: "the version being staged" },
  { pattern: UPDATER_DIRS.prev, tree: true, holds: "the previous version, for revert() and rollback" },
  { pattern: `${UPDATER_DIRS.journal}*`, tree: false, holds: "the journal's two slots" },
  { pattern: "/ota*", tree: true, holds: "the updater's modules and trash (any top-level name starting with ota)" },
  { pattern: "/main.py", tree: false, holds: "the boot entry gen-ota writes" },
  { pattern: "/boot.py", tree: false, holds: "the firmware's boot script" },
  { pattern: "/lib", tree: false, holds: "the firmware's library directory" },
];

/**
 * Names an app may not ship at the top of appDir (matched without regard to case): were appDir
 * ever searched before `/`, they would stand in for the updater's own modules or boot script.
 * main.py is not among them: it is the app's own entry (`entry: "main"`) and nothing imports it
 * from `/` once booted.
 */
export const RESERVED_APP_NAMES: readonly string[] = ["ota*.py", "ota*.mpy", "boot.py", "boot.mpy"];

/**
 * The longest file path, relative to appDir, that devices accept in a manifest (ota_manifest
 * refuses the whole manifest otherwise); `gen-ota release` refuses longer ones before devices see them.
 */
export const MAX_APP_PATH_CHARS = 120;

/** The RESERVED_APP_NAMES pattern that `path` (relative to appDir) matches, as devices match it; undefined when free. */
export function reservedAppNameOf(path: string): string | undefined {
  if (path.includes("/")) return undefined; // only the top of appDir could stand in for `/`
  return RESERVED_APP_NAMES.find((pattern) => matches(`/${pattern}`, `/${path}`));
}

/**
 * The reserved name a Python module `name` (its first segment, e.g. "ota" of "ota.app") would be
 * loaded from, matched without regard to case as FAT looks names up: RESERVED_APP_NAMES without
 * their suffix. An app cannot ship such a module at the top of appDir, so importing it would load
 * the updater's own module (or the firmware's boot.py) from `/` instead; undefined when free.
 */
export function reservedModuleOf(name: string): string | undefined {
  const first = name.split(".")[0] ?? "";
  const patterns = [...new Set(RESERVED_APP_NAMES.map((file) => file.replace(/\.m?py$/, "")))];
  return patterns.find((pattern) => matches(`/${pattern}`, `/${first}`));
}

/** Whether `path` (absolute, no trailing slash) matches `pattern`, a path whose last segment may hold one `*`. */
function matches(pattern: string, path: string): boolean {
  const star = pattern.indexOf("*");
  if (star < 0) return path.toLowerCase() === pattern.toLowerCase();
  const head = pattern.slice(0, star).toLowerCase();
  const tail = pattern.slice(star + 1).toLowerCase();
  const lower = path.toLowerCase();
  const lastSlash = lower.lastIndexOf("/");
  return lastSlash === pattern.lastIndexOf("/") && lower.length >= head.length + tail.length && lower.startsWith(head) && lower.endsWith(tail);
}

/** The reserved path `path` is, or lies inside; undefined when the updater does not own it. */
export function reservedPathOf(path: string): ReservedPath | undefined {
  const segments = path.split("/");
  for (const reserved of RESERVED_PATHS) {
    if (matches(reserved.pattern, path)) return reserved;
    if (!reserved.tree) continue;
    // an ancestor of path that the pattern covers (e.g. /next/app under /next)
    for (let end = 2; end < segments.length; end++) {
      if (matches(reserved.pattern, segments.slice(0, end).join("/"))) return reserved;
    }
  }
  return undefined;
}
