#!/usr/bin/env node
/**
 * `npm run reliability`: runs the whole fault matrix (test/faults, the same tests `npm test`
 * runs) with GEN_OTA_RELIABILITY_OUT set, so each scenario leaves one JSON row (see
 * test/faults/common.ts `record`), then writes docs/reliability.md from those rows.
 * Exits non-zero when a test failed or a row counts a broken outcome; the report is written
 * either way, so a failure shows in it.
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
      "every K in 0..n boots a copy with the power cut after K writes (K = 0: the first write is dropped),",
      "then boots new processes on the image until a boot writes nothing (at most 8). After every boot appDir",
      "must hold exactly the old or exactly the new version (every file's sha256, `.version`, `.manifest`),",
      "the journal must be valid and agree with `/project`, `/prev` and `/next`, and the settled boot must run",
      "the app with `/next` and `/trash` gone. *old*/*new*: the version running after the first boot that",
      "follows the cut (for (a) and (a') *old* is no app yet); *settled*: the version the device ended on.",
      "`update: \"boot\"`, so boots resume updates; K = n cuts right after the last write.",
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

const BOARD_ORDER = ["esp8266", "esp8266 fat:4096", "esp32", "esp32 ffat (fat:4096)", "rp2-pico-w", "-"];

function run() {
  const out = mkdtempSync(join(tmpdir(), "gen-ota-reliability-"));
  const started = Date.now();
  const jest = spawnSync(
    process.execPath,
    ["--experimental-vm-modules", join(root, "node_modules/jest/bin/jest.js"), "test/faults"],
    { cwd: root, stdio: "inherit", env: { ...process.env, GEN_OTA_RELIABILITY_OUT: out } },
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

/** @param {Row[]} rows @param {number} wall @param {boolean} passed */
function render(rows, wall, passed) {
  const sorted = [...rows].sort((a, b) =>
    SUITES.findIndex((s) => s.id === a.suite) - SUITES.findIndex((s) => s.id === b.suite) ||
    (a.order ?? 0) - (b.order ?? 0) || a.scenario.localeCompare(b.scenario) ||
    BOARD_ORDER.indexOf(a.board) - BOARD_ORDER.indexOf(b.board));
  const sum = (list, key) => list.reduce((total, r) => total + (r[key] ?? 0), 0);
  const commit = git(["rev-parse", "--short", "HEAD"]);
  const lines = [
    "# Reliability report",
    "",
    "<!-- generated by `npm run reliability` (test/reliability/run.mjs); do not edit -->",
    "",
    `Generated ${new Date().toISOString().slice(0, 10)} from commit ${commit} on ${availableParallelism()} × ${cpus()[0]?.model.trim() ?? "cpu"},`,
    `Node ${process.version}: ${rows.length} rows in ${wall.toFixed(0)} s of wall time. ${passed ? "Every test passed." : "**Some tests failed: see the broken column.**"}`,
    "",
    "Device code: the generated `.mpy` output (ABI 6, the unix port's; `main.py` as source) of each board,",
    "run by the MicroPython 1.25 unix port built 32-bit, with `-X heapsize=` at the board's heap budget",
    "(esp8266 38 KiB, esp32 56 KiB, rp2-pico-w 160 KiB) on the board's filesystem in a file-backed block",
    "device: FAT with 512-byte sectors for esp8266 (and 4096-byte, as on its flash), littlefs2 with",
    "4096-byte blocks for esp32 and rp2-pico-w (and FAT, as on an ESP32 `ffat` partition). The network is",
    "test/runtime/server.ts, which answers like GitHub. The app is test/faults/power.ts's: 6 files in",
    "`/project` with `lib/`, one of them 6.6 KB.",
    "",
    "**What CI runs:** all of it. `npm test` runs every test under test/faults, the whole matrix below;",
    "this script runs the same tests and only keeps their figures. Seconds are wall time with the cases",
    "of a row run in parallel (one MicroPython process per core and a little over).",
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
      lines.push("| scenario | board | cut points | old | new | settled old / new | boots ≤ | broken | seconds |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
      for (const r of mine) lines.push(`| ${r.scenario} | ${r.board} | ${r.tried} (${r.note ?? ""}) | ${r.old} | ${r.new} | ${r.settled?.old ?? 0} / ${r.settled?.new ?? 0} | ${r.maxBoots ?? ""} | ${r.broken} | ${r.seconds} |`);
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

run();
