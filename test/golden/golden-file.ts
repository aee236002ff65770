/**
 * Golden files of every kind (generated device files, config error baselines, release assets):
 * compared byte for byte, and rewritten by the one refresh command, `npm run goldens:update`,
 * which runs their tests with GEN_OTA_UPDATE_GOLDENS=1.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export const REFRESH_GOLDENS = "npm run goldens:update";
export const updatingGoldens = process.env.GEN_OTA_UPDATE_GOLDENS === "1";

/**
 * Passes when the file at `path` holds exactly `actual`; otherwise throws, naming the file, its
 * first differing line and the refresh command. When refreshing, writes `actual` there instead.
 */
export function expectGolden(path: string, actual: string): void {
  if (updatingGoldens) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden ${path} is missing; if intended, run ${REFRESH_GOLDENS}`);
  const expected = readFileSync(path, "utf8");
  if (expected !== actual) {
    throw new Error(`${path} differs from what gen-ota produces; review the diff, then run ${REFRESH_GOLDENS}\n${firstDifference(expected, actual)}`);
  }
}

/** Passes when no file is at `path`; when refreshing, removes it (a golden whose subject is gone). */
export function expectNoGolden(path: string, why: string): void {
  if (updatingGoldens) {
    rmSync(path, { force: true });
    return;
  }
  if (existsSync(path)) throw new Error(`${path} should not exist: ${why}; if intended, run ${REFRESH_GOLDENS}`);
}

/** The first line at which two texts differ, both versions shown. */
export function firstDifference(expected: string, actual: string): string {
  const expectedLines = expected.split("\n");
  const actualLines = actual.split("\n");
  for (let index = 0; index < Math.max(expectedLines.length, actualLines.length); index++) {
    if (expectedLines[index] !== actualLines[index]) {
      return `first difference at line ${index + 1}:\n- ${expectedLines[index] ?? "(end)"}\n+ ${actualLines[index] ?? "(end)"}`;
    }
  }
  return "";
}
