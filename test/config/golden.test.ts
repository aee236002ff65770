/** The formatted diagnostics of a few invalid configs, byte for byte, against committed `.expected.txt` files. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatDiagnostic } from "../../generator/diagnostics.js";
import { loadConfig } from "../../generator/config/load.js";
import { fixture, repoRoot } from "./helpers.js";

const UPDATE = process.env.GEN_OTA_UPDATE_GOLDENS === "1";
const REFRESH = "GEN_OTA_UPDATE_GOLDENS=1 npm test -- test/config";

/** Every diagnostic of a config, formatted as the CLI prints it, one blank line apart. */
function formatted(name: string): string {
  const result = loadConfig(fixture("invalid", `${name}.ts`), { cwd: repoRoot, env: {} });
  const diagnostics = result.ok ? result.warnings : result.diagnostics;
  return `${diagnostics.map(formatDiagnostic).join("\n\n")}\n`;
}

describe("formatted diagnostics (goldens)", () => {
  it.each(["unknown-key", "unknown-board", "unix-https", "not-static", "upper-case-https", "updater-paths", "bad-app-path", "reserved-entry"])("%s", (name) => {
    const actual = formatted(name);
    const goldenPath = join(repoRoot, fixture("invalid", `${name}.expected.txt`));
    if (UPDATE) {
      writeFileSync(goldenPath, actual);
      return;
    }
    if (!existsSync(goldenPath)) throw new Error(`golden ${goldenPath} is missing: run ${REFRESH} to write it`);
    const expected = readFileSync(goldenPath, "utf8");
    if (actual !== expected) {
      throw new Error(
        `formatted diagnostics of ${name}.ts differ from ${name}.expected.txt; if the change is intended, run ${REFRESH}\n\n` +
          `--- expected\n${expected}\n--- actual\n${actual}`,
      );
    }
  });
});
