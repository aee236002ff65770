#!/usr/bin/env node
/**
 * `npm run reliability`: runs the whole fault matrix (test/faults, the same tests `npm test`
 * runs) with GEN_OTA_RELIABILITY_OUT set, so each scenario leaves one JSON row (see
 * test/faults/common.ts `record`), then writes docs/reliability.md from those rows.
 * Exits non-zero when a test failed or a row counts a broken outcome; the report is written
 * either way, so a failure shows in it.
 *
 * The power matrix runs in full here (GEN_OTA_POWER_FULL=1: every single cut, pairs on every
 * scenario; see test/faults/power.ts), which takes hours under qemu. For a shorter run, set the
 * counts (GEN_OTA_POWER_SINGLE=40 GEN_OTA_POWER_FIRST=8 ...) and/or name test files:
 * `node test/reliability/run.mjs test/faults/power-esp8266.test.ts`; the report says what ran.
 */
import { spawnSync, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const reportPath = join(root, "docs", "reliability.md");

/** @typedef {{ suite: string, scenario: string, order?: number, board: string, tried: number, old: number, new: number, broken: number, seconds: number, settled?: { old: number, new: number }, maxBoots?: number, note?: string, cases?: Array<{ id: string, line?: string }> }} Row */

const SUITES = [
  {
    id: "power",
    title: "Power loss at every block write",
    about: [
      "Each scenario starts from one image, counts the block writes n of one process (the action), and for",
      "K in 0..n boots a copy with the power cut after K writes (K = 0: the first write is dropped), then",
      "boots new processes on the image until a boot writes nothing (at most 8). After every boot appDir must",
      "hold exactly the old or exactly the new version (every file's sha256, `.version`, `.manifest`), the",
      "journal must be valid and agree with `/project`, `/prev` and `/next`, no exception may escape the",
      "updater, and the settled boot must run the app with `/next` gone. *old*/*new*: the version running",
      "after the first boot that follows the cut (for (a) and (a') *old* is no app yet); *settled*: the",
      "version the device ended on; *stuck*: settled where the scenario must not end (every scenario but the",
      "revert must end new: a rollback on 1.0.0). Rows \"a second cut in the recovery\" cut the action at K1,",
      "then the boot that recovers at K2, then settle. *later*: devices that settled after a cut were then",
      "offered 1.3.0 and booted until settled: how many ended on it. The note says which cuts ran: all of",
      "0..n, or a sample spread evenly over it (both ends in).",
      "",
      "The app (test/faults/power.ts `largeApp`): 26 files in `/project`, 22 of them modules with 57-character",
      "names in `lib/` (6 FAT directory entries each: `lib/` spans 9 directory sectors at 512 bytes and 2 at",
      "4096), `lib/net/link.py` one level deeper; about 9 KB, its manifest about 4 KB (under esp8266's 4096).",
      "Boards marked \"80 KB deep app\" run `bigDeepApp` instead: 22 files, about 80 KB, 14 modules of 4 KB in",
      "`lib/`, a package five folders down (`lib/drivers/sensors/i2c/bme280/`), assets four down, a 12 KB file.",
      "Filesystems, named in the board column: FAT with 512-byte and 4096-byte sectors, littlefs2 with",
      "4096-byte blocks; esp32 runs on both (its device code tells them apart at boot).",
    ],
  },
  {
    id: "network",
    title: "Network faults at every phase",
    about: [
      "A device on 1.0.0 calls `ota.update()` while 1.1.0 (every file changed) is published and the server",
      "misbehaves on one request: the version check, the manifest, or one of the 6 files (8 phases per fault).",
      "*old*: the update failed with 1.0.0 intact, one `ota: ... failed: ...` line, no traceback, every socket",
      "closed, staging untouched (check and manifest: zero block writes), cleaned, or resumable (verified",
      "files kept); then the next `ota.update()`, with the server well, staged 1.1.0 and a boot ran it.",
      "*new*: the update went through, as it must for a redirect to another host (how GitHub serves assets).",
      "Socket timeout 1 s; stalls are waited out, not cut short.",
    ],
  },
  {
    id: "manifest",
    title: "Hostile manifests and version files",
    about: [
      "Each body replaces the published manifest (or `ota-version`); `ota.update()` must return None with",
      "zero block writes (the journal included), one `ota: ... failed: <reason>` line naming the right reason,",
      "and no socket left open. *old* counts bodies refused so.",
    ],
  },
  {
    id: "resources",
    title: "Flash and heap running out",
    about: [
      "ENOSPC: a small image, 1.1.0 brings a file larger than the free space. Heap: the boot that downloads",
      "1.1.0 runs at each heap size from 12 KiB to the board's budget, then the device boots at the budget",
      "until it settles, every boot checked as in the power-loss table. *old*: the update failed with the",
      "running version intact; *new*: it staged.",
    ],
  },
  {
    id: "config",
    title: "Bad configs and command lines",
    about: [
      "`loadConfigFromText` must answer a config (*new*) or GEN_OTA diagnostics from the catalogue located",
      "in the file (*old*); *broken* would be a throw, a stack trace, an unlocated or unknown diagnostic.",
      "Through `runCli`, exit codes other than 0, 1 and 2 count as broken.",
    ],
  },
];

const BOARD_ORDER = [
  "esp8266 fat:512", "esp8266", "esp8266 fat:4096", "esp8266 fat:4096 · 1.13.0", "esp8266 on 1.13.0", "esp32 ffat (fat:4096)", "esp32 lfs2:4096",
  "esp32 lfs2:4096 · 1.19.1", "esp32", "esp32 on 1.19.1", "rp2-pico-w lfs2:4096", "rp2-pico-w lfs2:4096 · 1.20.0", "rp2-pico-w", "rp2-pico-w on 1.20.0", "-",
];
/** A board's place in the tables: BOARD_ORDER's, and boards it does not name after those it does. */
const boardRank = (board) => (BOARD_ORDER.includes(board) ? BOARD_ORDER.indexOf(board) : BOARD_ORDER.length);

/** Test files to run (default: all of test/faults) and the power matrix's counts from the environment. */
const ARGS = process.argv.slice(2);
/** `--rows DIR...`: write the report from rows earlier runs left (GEN_OTA_RELIABILITY_OUT=DIR), running nothing. */
const ROW_DIRS = ARGS[0] === "--rows" ? ARGS.slice(1) : null;
const PATHS = ROW_DIRS === null && ARGS.length > 0 ? ARGS : ["test/faults"];
const POWER_ENV = { GEN_OTA_POWER_FULL: "1", ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("GEN_OTA_POWER_"))) };

function fromRows(dirs) {
  /** @type {Row[]} */
  const rows = dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(join(dir, f), "utf8"))));
  const wall = rows.reduce((sum, r) => sum + r.seconds, 0);
  writeFileSync(reportPath, render(rows, wall, null));
  const broken = rows.reduce((sum, r) => sum + r.broken, 0);
  console.log(`wrote ${reportPath} from ${dirs.join(", ")}: ${rows.length} rows, ${broken} broken`);
  process.exit(broken === 0 ? 0 : 1);
}

function run() {
  const out = mkdtempSync(join(tmpdir(), "gen-ota-reliability-"));
  const started = Date.now();
  const jest = spawnSync(
    process.execPath,
    ["--experimental-vm-modules", join(root, "node_modules/jest/bin/jest.js"), ...PATHS],
    { cwd: root, stdio: "inherit", env: { ...process.env, ...POWER_ENV, GEN_OTA_RELIABILITY_OUT: out } },
  );
  const wall = (Date.now() - started) / 1000;
  /** @type {Row[]} */
  const rows = readdirSync(out).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(join(out, f), "utf8")));
  rmSync(out, { recursive: true, force: true });
  writeFileSync(reportPath, render(rows, wall, jest.status === 0));
  const broken = rows.reduce((sum, r) => sum + r.broken, 0);
  console.log(`\nwrote ${reportPath}: ${rows.length} rows, ${broken} broken, ${wall.toFixed(0)} s`);
  process.exit(jest.status === 0 && broken === 0 ? 0 : 1);
}

/** @param {Row[]} rows @param {number} wall @param {boolean | null} passed null: rows of earlier runs, whose pass or fail is in their broken and stuck columns */
function render(rows, wall, passed) {
  const sorted = [...rows].sort((a, b) =>
    SUITES.findIndex((s) => s.id === a.suite) - SUITES.findIndex((s) => s.id === b.suite) ||
    (a.order ?? 0) - (b.order ?? 0) || a.scenario.localeCompare(b.scenario) ||
    boardRank(a.board) - boardRank(b.board) || a.board.localeCompare(b.board));
  const sum = (list, key) => list.reduce((total, r) => total + (r[key] ?? 0), 0);
  const commit = git(["rev-parse", "--short", "HEAD"]);
  const lines = [
    "# Reliability report",
    "",
    "<!-- generated by `npm run reliability` (test/reliability/run.mjs); do not edit -->",
    "",
    `Generated ${new Date().toISOString().slice(0, 10)} from commit ${commit} on ${availableParallelism()} × ${cpus()[0]?.model.trim() ?? "cpu"},`,
    `Node ${process.version}: ${rows.length} rows in ${wall.toFixed(0)} s of wall time. ${passed === null ? "Rows of the runs named below: the broken and stuck columns say what failed." : passed ? "Every test passed." : "**Some tests failed: see the broken and stuck columns.**"}`,
    "",
    "Device code: the generated `.mpy` output (ABI 6, the unix port's; `main.py` as source) of each board,",
    "run by the MicroPython 1.25 unix port built 32-bit (rows naming another firmware: that version's 32-bit",
    "unix port, `.mpy` at the ABI it loads, on the board's own flash), with `-X heapsize=` at the board's heap budget",
    "(esp8266 38 KiB, esp32 56 KiB, rp2-pico-w 160 KiB) on the board's filesystem in a file-backed block",
    "device: FAT with 512-byte sectors for esp8266 (and 4096-byte, as on its flash), littlefs2 with",
    "4096-byte blocks for esp32 and rp2-pico-w (and FAT, as on an ESP32 `ffat` partition). The network is",
    "test/runtime/server.ts, which answers like GitHub. The power-loss app is described in its section;",
    "the other suites use a 6-file app with `lib/`, one file 6.6 KB.",
    "",
    process.env["GEN_OTA_RELIABILITY_NOTE"] ??
      `**This run:** \`${PATHS.join(" ")}\` with ${Object.entries(POWER_ENV).map(([k, v]) => `${k}=${v}`).join(" ")}.`,
    "**What CI runs:** `npm test` runs every test under test/faults, the power matrix as a sample (8 single",
    "cuts spread over each scenario, a 3x3 grid of double cuts on the switch and the rollback); this script",
    "runs the same tests with the counts above and keeps their figures. Seconds are wall time with the",
    "cases of a row run in parallel (one MicroPython process per core and a little over).",
    "",
    "## Totals",
    "",
    "| suite | rows | tried | old | new | broken | seconds |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const suite of SUITES) {
    const mine = sorted.filter((r) => r.suite === suite.id);
    lines.push(`| ${suite.title} | ${mine.length} | ${sum(mine, "tried")} | ${sum(mine, "old")} | ${sum(mine, "new")} | ${sum(mine, "broken")} | ${sum(mine, "seconds").toFixed(1)} |`);
  }
  lines.push(`| **all** | ${sorted.length} | ${sum(sorted, "tried")} | ${sum(sorted, "old")} | ${sum(sorted, "new")} | ${sum(sorted, "broken")} | ${sum(sorted, "seconds").toFixed(1)} |`);
  for (const suite of SUITES) {
    const mine = sorted.filter((r) => r.suite === suite.id);
    lines.push("", `## ${suite.title}`, "", ...suite.about, "");
    if (suite.id === "power") {
      lines.push("| scenario | board (filesystem:sector) | cuts | old | new | settled old / new | stuck | later: on 1.3.0 | boots ≤ | broken | seconds |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
      for (const r of mine) lines.push(`| ${r.scenario} | ${r.board} | ${r.tried} (${r.note ?? ""}) | ${r.old} | ${r.new} | ${r.settled?.old ?? 0} / ${r.settled?.new ?? 0} | ${r.stuck ?? 0} | ${r.later ? `${r.later.newest} of ${r.later.tried}` : ""} | ${r.maxBoots ?? ""} | ${r.broken} | ${r.seconds} |`);
    } else {
      lines.push("| scenario | board | tried | old | new | broken | seconds | note |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
      for (const r of mine) lines.push(`| ${r.scenario} | ${r.board} | ${r.tried} | ${r.old} | ${r.new} | ${r.broken} | ${r.seconds} | ${escape(r.note ?? "")} |`);
    }
    const detailed = mine.find((r) => r.cases?.length);
    if (detailed) {
      lines.push("", `Each case on ${detailed.board} and the line that refused it (the other boards refuse them alike):`, "", "| case | refused with |", "| --- | --- |");
      for (const c of detailed.cases ?? []) lines.push(`| ${escape(c.id)} | ${c.line ? `\`${escape(shorten(c.line))}\`` : "**not refused**"} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** A long log line cut for the table. */
function shorten(line) {
  return line.length > 140 ? `${line.slice(0, 140)}…` : line;
}

/** Table cells: no pipes or line breaks. */
function escape(text) {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function git(args) {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

if (ROW_DIRS !== null) fromRows(ROW_DIRS);
else run();
