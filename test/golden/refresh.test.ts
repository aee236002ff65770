/** One refresh command for every golden: `npm run goldens:update` runs each test that compares against one. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Every .test.ts file under a directory, recursively. */
function testFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? testFiles(path) : entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

test("goldens:update runs every test file that uses golden-file.ts", () => {
  const script = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts["goldens:update"] ?? "";
  expect(script).toContain("GEN_OTA_UPDATE_GOLDENS=1");
  const paths = script.split(/\s+/).filter((word) => word.startsWith("test/"));
  const users = testFiles("test").filter((file) => readFileSync(file, "utf8").includes("/golden-file.js"));
  expect(users.length).toBeGreaterThanOrEqual(3);
  const missed = users.map((file) => relative(".", file)).filter((file) => !paths.some((path) => file === path || file.startsWith(`${path}/`)));
  expect(missed).toEqual([]);
});
