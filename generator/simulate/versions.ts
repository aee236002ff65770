/**
 * The two versions a simulation moves between, each a directory on disk or a git tag of the device
 * repo (its app directory exported at that tag), built into a release with generator/release.
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import semver from "semver";
import { fail, ok, type Diagnostic, type Result } from "../diagnostics.js";
import { buildManifest } from "../release/build.js";
import { listAppFiles } from "../release/walk.js";
import { SimulateCode } from "./codes.js";
import type { SiteRelease } from "./github.js";

/** A version ready to publish and to flash. */
export interface SimRelease extends SiteRelease {
  /** Where it came from, for the report: a directory or `tag vX (git)`. */
  source: string;
  /** sha256 of each published file, by path. */
  hashes: Record<string, string>;
  manifestJson: string;
}

/** Where a version comes from, as given on the command line. */
export interface VersionSpec {
  /** A directory, or a git tag of the repo holding the config. */
  from: string;
  /** The version, for a directory (a tag names its own). */
  version?: string;
}

function problem(message: string, hint?: string): Diagnostic {
  return { code: SimulateCode.version, severity: "error", message, ...(hint ? { hint } : {}) };
}

function git(args: string[], cwd: string): { ok: boolean; stdout: Buffer; stderr: string } {
  const run = spawnSync("git", args, { cwd, maxBuffer: 256 * 1024 * 1024 });
  return { ok: run.status === 0, stdout: run.stdout ?? Buffer.alloc(0), stderr: run.error ? run.error.message : (run.stderr?.toString() ?? "") };
}

/** Exports `appDirOnDisk` as it is at `tag` into a new temporary directory (removed by the caller). */
function exportAtTag(tag: string, appDirOnDisk: string, repoDir: string): Result<string> {
  const top = git(["rev-parse", "--show-toplevel"], repoDir);
  if (!top.ok) return fail([problem(`'${tag}' is not a directory, and ${appDirOnDisk} is not in a git repository to find it as a tag`, "pass a directory, or run inside the device repo")]);
  const root = top.stdout.toString().trim();
  const inRepo = relative(root, appDirOnDisk).split(sep).join("/");
  const archive = git(["archive", "--format=tar", `${tag}:${inRepo}`], root);
  if (!archive.ok) {
    return fail([problem(`cannot export ${inRepo || "."} at '${tag}': ${archive.stderr.trim().split("\n")[0] ?? "git archive failed"}`, "`git tag` lists the tags; fetch them with `git fetch --tags`")]);
  }
  const dir = mkdtempSync(join(tmpdir(), "gen-ota-simulate-"));
  const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
  if (untar.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return fail([problem(`cannot unpack ${inRepo} at '${tag}': ${untar.stderr?.toString().trim() ?? "tar failed"}`)]);
  }
  return ok(dir);
}

/** Builds the release for `spec`: a directory (with its version) or a tag (`tagPrefix` + version). */
export function loadVersion(spec: VersionSpec, options: { cwd: string; appDirOnDisk: string; repoDir: string; tagPrefix: string }): Result<SimRelease> {
  const asDir = resolve(options.cwd, spec.from);
  const isDir = existsSync(asDir) && statSync(asDir).isDirectory();
  let dir = asDir;
  let version = spec.version;
  let cleanup = (): void => undefined;
  let source = relative(options.cwd, asDir) || ".";
  if (!isDir) {
    const exported = exportAtTag(spec.from, options.appDirOnDisk, options.repoDir);
    if (!exported.ok) return exported;
    dir = exported.value;
    cleanup = () => rmSync(exported.value, { recursive: true, force: true });
    source = `tag ${spec.from}`;
    const fromTag = spec.from.startsWith(options.tagPrefix) ? spec.from.slice(options.tagPrefix.length) : spec.from;
    version ??= fromTag;
  }
  try {
    if (version === undefined) return fail([problem(`${source} is a directory: its version is not known`, "give it with --from-version X / --to-version X")]);
    const built = buildManifest(dir, version, { shownDir: source });
    if (!built.ok) return built;
    const listed = listAppFiles(dir);
    if (!listed.ok) return listed;
    const files: Record<string, Uint8Array> = {};
    for (const file of listed.value) files[file.path] = readFileSync(file.absolute);
    const { manifest, manifestJson, versionText } = built.value;
    return ok({
      tag: `${options.tagPrefix}${version}`,
      version,
      prerelease: semver.prerelease(version) !== null,
      assets: { "ota-version": Buffer.from(versionText), "ota-manifest.json": Buffer.from(manifestJson) },
      files,
      source,
      hashes: Object.fromEntries(manifest.files.map((file) => [file.path, file.sha256])),
      manifestJson,
    });
  } finally {
    cleanup();
  }
}
