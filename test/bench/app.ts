/** The benchmark's app: 20 files, about 60 KB, deterministic; and its one-file change. */

/** A release as both bench servers publish it: file paths relative to appDir. */
export interface BenchRelease {
  version: string;
  files: Record<string, Buffer>;
}

/** Path and size of each file: a few large modules, many small ones, two directories deep. */
const LAYOUT: ReadonlyArray<readonly [string, number]> = [
  ["main.py", 1800],
  ["config.json", 420],
  ["boot_app.py", 900],
  ["lib/__init__.py", 0],
  ["lib/util.py", 2600],
  ["lib/net.py", 4200],
  ["lib/display.py", 6100],
  ["lib/fonts.py", 8000],
  ["lib/sched.py", 2300],
  ["lib/log.py", 1100],
  ["lib/drivers/__init__.py", 0],
  ["lib/drivers/bme280.py", 5200],
  ["lib/drivers/sht31.py", 2900],
  ["lib/drivers/ds18x20.py", 2100],
  ["lib/drivers/ssd1306.py", 4700],
  ["lib/drivers/relay.py", 800],
  ["web/index.html", 3900],
  ["web/style.css", 1500],
  ["web/app.js", 5400],
  ["README.txt", 5600],
];

/** The file the one-file delta changes: a middle-sized module (3 KB). */
export const DELTA_FILE = "lib/drivers/sht31.py";

/** Text of `size` bytes that looks like source: numbered lines, so every file differs. */
function filler(path: string, size: number, version: string): Buffer {
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const line = `# ${path} ${version} line ${i}: sensor read, filter, publish, sleep.\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join("").slice(0, size));
}

/** The 20-file app at `version`; `changed` files get the version in their text, the rest stay byte-identical. */
export function benchApp(version: string, changed: readonly string[] = []): BenchRelease {
  const files: Record<string, Buffer> = {};
  for (const [path, size] of LAYOUT) files[path] = filler(path, size, changed.includes(path) ? version : "base");
  return { version, files };
}

/** The app with EXTRA_FILES more small files: a manifest about 1.4 KB larger, to measure what each manifest byte costs. */
export const EXTRA_FILES = 13;
export function largerBenchApp(version: string): BenchRelease {
  const app = benchApp(version);
  for (let i = 0; i < EXTRA_FILES; i++) app.files[`extra/module_${String(i).padStart(2, "0")}.py`] = filler(`extra ${i}`, 200, "base");
  return app;
}

/** Total bytes of a release's files. */
export function appBytes(release: BenchRelease): number {
  return Object.values(release.files).reduce((sum, content) => sum + content.length, 0);
}
