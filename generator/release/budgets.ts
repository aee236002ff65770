/**
 * What each board accepts of a release, from its record under targets/: the app's bytes against
 * `flash.budgetBytes` and the manifest's against `maxManifestBytes`. A device refuses a release
 * over either on every boot (templates/ota_manifest.py.hbs, ota_fetch.py.hbs), so the release is
 * refused before it is published (GEN_OTA_0713).
 */

import type { Target } from "../../targets/index.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Release } from "./build.js";
import { ReleaseCode } from "./codes.js";

/** Problems of `release` on each of `boards`. */
export function checkBudgets(release: Release, boards: readonly Target[], shownRoot: string): Diagnostic[] {
  const appBytes = release.manifest.files.reduce((sum, file) => sum + file.size, 0);
  const manifestBytes = Buffer.byteLength(release.manifestJson, "utf8");
  const problems: Diagnostic[] = [];
  for (const board of boards) {
    if (appBytes > board.flash.budgetBytes) {
      problems.push({
        code: ReleaseCode.overBudget,
        severity: "error",
        message: `${shownRoot} is ${appBytes} bytes, over ${board.name}'s ${board.flash.budgetBytes}-byte flash budget for the app: its devices would refuse the release on every boot`,
        hint: "make the app smaller (precompiled .mpy files are smaller than .py), or leave this board out of the release",
      });
    }
    if (manifestBytes > board.maxManifestBytes) {
      problems.push({
        code: ReleaseCode.overBudget,
        severity: "error",
        message: `the manifest of ${shownRoot} is ${manifestBytes} bytes (${release.manifest.files.length} files), over the ${board.maxManifestBytes} bytes ${board.name} reads: its devices would refuse the release on every boot`,
        hint: "ship fewer files (a manifest entry costs about 100 bytes), or leave this board out of the release",
      });
    }
  }
  return problems;
}
