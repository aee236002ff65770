/**
 * `ota-versions`, the version index (docs/protocol.md, "Version index"): the newest stable
 * version of each minor line the repository's tags name, one a line, newest first, at most
 * MAX_INDEX_BYTES. A device whose version range excludes the latest release reads it from the
 * latest release and picks the newest version within its range.
 */

import semver from "semver";
import { git } from "./git.js";

/** Asset name of the version index on a GitHub release. */
export const VERSIONS_ASSET = "ota-versions";
/** The most a device reads of it (the device's MAX_INDEX, templates/ota_index.py.hbs). */
export const MAX_INDEX_BYTES = 512;

/** "major.minor" of a version, the line it belongs to. */
function lineOf(version: string): string {
  return `${semver.major(version)}.${semver.minor(version)}`;
}

/**
 * The body of `ota-versions` for `versions` (any order; prereleases and non-semver left out):
 * each minor line's newest, newest first. Past MAX_INDEX_BYTES, older minor lines are left out,
 * but never a major's newest before another line: a range of the `^X.Y` kind then still finds
 * its major's newest.
 */
export function serializeVersionIndex(versions: readonly string[]): string {
  const newestOfLine = new Map<string, string>();
  for (const version of versions) {
    if (semver.valid(version) === null || semver.prerelease(version) !== null) continue;
    const line = lineOf(version);
    const held = newestOfLine.get(line);
    if (held === undefined || semver.gt(version, held)) newestOfLine.set(line, version);
  }
  const newestFirst = [...newestOfLine.values()].sort(semver.rcompare);
  const majorsNewest = newestFirst.filter((version, i) => newestFirst.findIndex((other) => semver.major(other) === semver.major(version)) === i);
  const kept: string[] = [];
  let bytes = 0;
  for (const version of [...majorsNewest, ...newestFirst.filter((version) => !majorsNewest.includes(version))]) {
    if (bytes + version.length + 1 > MAX_INDEX_BYTES) continue;
    kept.push(version);
    bytes += version.length + 1;
  }
  return kept.sort(semver.rcompare).map((version) => `${version}\n`).join("");
}

/** The versions the repository at `root` has tags for (`tagPrefix` + semver), and whether the clone is shallow (its tags may be incomplete). */
export function taggedVersions(root: string, tagPrefix: string): { versions: string[]; shallow: boolean } {
  const listed = git(["tag", "--list", `${tagPrefix}*`], root);
  const versions = listed.ok
    ? listed.stdout
        .toString("utf8")
        .split("\n")
        .map((tag) => tag.trim().slice(tagPrefix.length))
        .filter((version) => semver.valid(version) === version)
    : [];
  const shallow = git(["rev-parse", "--is-shallow-repository"], root).stdout.toString("utf8").trim() === "true";
  return { versions, shallow };
}
