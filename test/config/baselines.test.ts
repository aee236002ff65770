/**
 * Config baselines, as TypeScript keeps them: what gen-ota prints for a fixture `<name>.ts` is
 * committed beside it as `<name>.errors.txt`, byte for byte, found by name. Every invalid fixture
 * has one; a valid fixture has one exactly when it loads with warnings. The codes and positions
 * each fixture reports are read from these files, never from a table kept by hand.
 */
import { formatDiagnostic } from "../../generator/diagnostics.js";
import { expectGolden, expectNoGolden } from "../golden/golden-file.js";
import { baselineNames, baselineOf, fixtureNames, loadFixture, reported, type FixtureKind } from "./helpers.js";

/** Every diagnostic of a fixture, formatted as the CLI prints it, one blank line apart. */
function printed(kind: FixtureKind, name: string): string {
  const diagnostics = reported(loadFixture(kind, name));
  return diagnostics.length === 0 ? "" : `${diagnostics.map(formatDiagnostic).join("\n\n")}\n`;
}

describe.each(["invalid", "valid"] as const)("%s fixtures against their baselines", (kind) => {
  const names = fixtureNames(kind);

  it("has no baseline without its fixture", () => {
    const orphans = baselineNames(kind).filter((name) => !names.includes(name));
    for (const name of orphans) expectNoGolden(baselineOf(kind, name), `there is no ${name}.ts beside it`);
  });

  it.each(names)("%s", (name) => {
    const output = printed(kind, name);
    if (kind === "invalid" && output === "") throw new Error(`${name}.ts is under invalid/ but loads without a word`);
    if (output === "") expectNoGolden(baselineOf(kind, name), `${name}.ts loads without warnings`);
    else expectGolden(baselineOf(kind, name), output);
  });
});
