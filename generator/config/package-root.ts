/** Finds gen-ota's own files from the running module, whether it runs from `generator/` or `dist/generator/`. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The directory of the package.json named "gen-ota" at or above `from` (a file URL or path). */
export function packageRoot(from: string = import.meta.url): string {
  let directory = dirname(from.startsWith("file:") ? fileURLToPath(from) : from);
  for (;;) {
    const manifest = join(directory, "package.json");
    if (existsSync(manifest) && readManifestName(manifest) === "gen-ota") return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`gen-ota's package.json not found above ${from}`);
    directory = parent;
  }
}

let typesSource: string | undefined;

/** The text of gen-ota's config types (`generator/config/types.ts`), which user configs are checked against. */
export function genOtaTypesSource(): string {
  if (typesSource === undefined) {
    const root = packageRoot();
    const candidates = [
      join(root, "generator", "config", "types.ts"),
      join(root, "dist", "generator", "config", "types.d.ts"),
    ];
    const found = candidates.find((candidate) => existsSync(candidate));
    if (found === undefined) throw new Error(`gen-ota's config types not found under ${root}`);
    typesSource = readFileSync(found, "utf8");
  }
  return typesSource;
}

function readManifestName(manifest: string): unknown {
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, "utf8"));
    return typeof parsed === "object" && parsed !== null && "name" in parsed ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}
