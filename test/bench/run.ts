/**
 * `npm run bench`: measures the generated updater of every board, as .py and as .mpy, next to a
 * plain baseline updater and the floor, prints one table and writes it with its notes to docs/bench.md.
 * Not part of `npm test`: nothing here gates anything.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { measuredHeapPath, type MeasuredForm, type MeasuredHeap } from "../../targets/heap.js";
import { DEVICE_FILES } from "../../generator/generate.js";
import { packageRoot } from "../../generator/paths.js";
import { releaseAssets } from "../runtime/assets.js";
import { targets, type Target } from "../../targets/index.js";
import { Device } from "../runtime/device.js";
import { findMicropython } from "../runtime/micropython.js";
import type { Variant } from "../runtime/updater.js";
import { appBytes, benchApp, DELTA_FILE, EXTRA_FILES, largerBenchApp } from "./app.js";
import { HIGH, minHeap, RESOLUTION, SWEEP_SPAN, SWEEP_STEP } from "./bisect.js";
import { cpuPerKb, CPU_KB } from "./cpu.js";
import { generationTimes } from "./generation.js";
import { HEAP_BYTES as INSTRUCTIONS_HEAP, signatureCheckInstructions, type InstructionCount } from "./instructions.js";
import { idleHeap, measureOnFirmware, measureSubject, TIMED_RUNS, type FirmwareFigures, type SubjectFigures } from "./measure.js";
import { CURRENT_FIRMWARE, findRuntime, oldestFirmware } from "../runtime/firmware.js";
import { runSnippet } from "./runner.js";
import { releaseJson, startBenchServer, type BenchServer } from "./server.js";
import { EXAMPLE_OF, moduleSizes, type ModuleSizes } from "./sizes.js";
import { baseline, floorDevice, floorProbe, genOta, signatureCheckHeap, type Operation } from "./subjects.js";
import { bytes, kb, markdown, ms, ratio, text, type Table } from "./table.js";
import { launchCommand } from "../../generator/simulate/launcher.js";

const BOARDS = ["esp8266", "esp32", "rp2-pico-w"];
const VARIANTS: Variant[] = ["py", "mpy"];
/** Targets of issue 4. */
const FLOOR_TARGET = 1.5;
const DELTA_TARGET = 1.05;
const ESP8266_OTA_MPY_TARGET = 6 * 1024;
/** Target of issue 11: x86 instructions of one signature check (sha512 of the signed input, then verify). */
const CHECK_INSTRUCTIONS_TARGET = 120e6;

interface Column {
  board: Target;
  variant: Variant;
  idle: number | undefined;
  floor: number | undefined;
  genOta: SubjectFigures;
  baseline: SubjectFigures;
  /** Least heap of gen-ota's update on boot up to its signature check (signatureCheckHeap). */
  verify: number | undefined;
  /** Bytes each updater module holds once imported (gc.mem_alloc before and after). */
  resident: Record<string, number>;
  cpu: { bare: number; genOta: number };
  sizes: ModuleSizes;
  generation: { node: number; generate: number; generateMpy: number };
  /** x86-64 instructions of one signature check with the board's modules (both forms), or why not counted. */
  instructions: InstructionCount;
  /** gen-ota on the board's oldest supported firmware, or why it was not measured. */
  older: { firmware: string; figures?: FirmwareFigures; skipped?: string } | undefined;
}

const v1 = benchApp("1.0.0");
const v101 = benchApp("1.0.1", [DELTA_FILE]);
const manifestBytes = (release: typeof v1): number => releaseAssets(release)["ota-manifest.json"]!.length;
const extraManifestBytes = manifestBytes(largerBenchApp("1.0.0")) - manifestBytes(v1);
/** Extra heap per extra manifest byte, from the full updates of the two app sizes (at least 1: the bytes are held). */
const perManifestByte = (f: SubjectFigures): number =>
  f.fullLarger === undefined || f.heap.full === undefined ? 1 : Math.max(1, (f.fullLarger - f.heap.full) / extraManifestBytes);
const deltaPayload = v101.files[DELTA_FILE]!.length + manifestBytes(v101);
// ota_trial runs only on a trial boot (it arms machine.Timer at import), never beside an update
const MODULES = DEVICE_FILES.filter((name) => name !== "main.py" && name !== "ota_trial.py").map((name) => name.replace(/\.py$/, ""));

/** Imports the updater's modules one by one (ota first, then the HTTP client) and reports what each adds. */
async function residentBytes(device: Device): Promise<Record<string, number>> {
  const order = ["ota", "ota_http", ...MODULES.filter((name) => name !== "ota" && name !== "ota_http")];
  const snippet = [
    "import gc",
    "gc.collect()",
    "before = gc.mem_alloc()",
    "sizes = []",
    `for name in ${JSON.stringify(order).replace(/"/g, "'")}:`,
    "    try:",
    "        __import__(name)",
    "    except ImportError:  # ota_copy only where the board may run on FAT",
    "        pass",
    "    gc.collect()",
    "    sizes.append(gc.mem_alloc() - before)",
    "    before = gc.mem_alloc()",
    "print('BENCH', sizes)",
  ].join("\n");
  const result = await runSnippet(device, snippet, HIGH);
  const line = result.output.find((text) => text.startsWith("BENCH "));
  if (!line) throw new Error(`bench: resident sizes\n${result.stdout}${result.stderr}`);
  const sizes = JSON.parse(line.slice("BENCH ".length)) as number[];
  return Object.fromEntries(order.map((name, i) => [name, sizes[i]!]));
}

/** gen-ota's check, full update and delta on the board's oldest firmware, where its unix port is given (firmware.ts). */
async function measureOldestFirmware(board: Target, variant: Variant, server: BenchServer): Promise<Column["older"]> {
  const oldest = oldestFirmware(board);
  if (oldest === CURRENT_FIRMWARE) return undefined;
  const runtime = findRuntime(oldest);
  if (!runtime.ok) return { firmware: oldest.version, skipped: runtime.reason };
  if (variant === "mpy" && !board.mpy?.abis.includes(oldest.abi)) return { firmware: oldest.version, skipped: `it loads no .mpy ABI ${board.name} compiles for` };
  process.stderr.write(`bench: ${board.name} .${variant} on ${oldest.version}\n`);
  const figures = await measureOnFirmware(board, variant, genOta, server, { micropython: runtime.binary, mpyAbi: oldest.abi });
  return { firmware: oldest.version, figures };
}

async function measureColumn(
  board: Target, variant: Variant, generation: Column["generation"], sizes: ModuleSizes, instructions: InstructionCount,
): Promise<Column> {
  const server = await startBenchServer({ releases: [v1] });
  const floorBase = await floorDevice(board, variant);
  try {
    const idle = await idleHeap(floorBase);
    const floor = await minHeap(floorBase, floorProbe(board, server, `/raw/${server.repo}/v1.0.0/${server.dir}/lib/fonts.py`));
    const genOtaFigures = await measureSubject(board, variant, genOta, server);
    const baselineFigures = await measureSubject(board, variant, baseline, server);
    const older = await measureOldestFirmware(board, variant, server);
    const device = await genOta.flash(board, variant, server);
    try {
      const verify = await signatureCheckHeap(device, variant);
      const resident = await residentBytes(device);
      const cpu = await cpuPerKb(device, board);
      return { board, variant, idle, floor, genOta: genOtaFigures, baseline: baselineFigures, verify, resident, cpu, sizes, generation, instructions, older };
    } finally {
      await device.dispose();
    }
  } finally {
    await floorBase.dispose();
    await server.close();
  }
}

const millions = (count: number): string => `${(count / 1e6).toFixed(1)} M`;
const checkInstructions = (c: Column): string =>
  "skipped" in c.instructions
    ? `not measured (${c.instructions.skipped})`
    : millions(c.instructions.counted[c.variant]);

const pair = (a: number | undefined, b: number | undefined): string => `${kb(a)} / ${kb(b)} (${ratio(a, b)})`;
const mark = (ok: boolean): string => (ok ? "ok" : "over");

function buildTable(columns: Column[]): Table {
  const row = (label: string, cell: (column: Column) => string) => ({ label, cells: columns.map(cell) });
  const heapRow = (label: string, operation: Operation) =>
    row(label, (c) => pair(c.genOta.heap[operation], c.baseline.heap[operation]));
  const requests = (f: SubjectFigures, operation: Operation) => `${f.traffic[operation].requests} (${f.traffic[operation].apiRequests} API)`;
  const trafficRows = (name: string, operation: Operation) => [
    row(`${name}: requests (to the REST API), gen-ota / baseline`, (c) => `${requests(c.genOta, operation)} / ${requests(c.baseline, operation)}`),
    row(`${name}: body bytes received, gen-ota / baseline`, (c) =>
      `${bytes(c.genOta.traffic[operation].bodyBytes)} / ${bytes(c.baseline.traffic[operation].bodyBytes)} (${ratio(c.genOta.traffic[operation].bodyBytes, c.baseline.traffic[operation].bodyBytes)})`),
  ];
  const sizeRow = (module: string) =>
    row(`${module}.py / ${module}.mpy (board ABI)`, (c) => {
      const size = c.sizes[module];
      return size ? bytes(c.variant === "py" ? size.py : size.mpy) : "not generated for this board";
    });
  return {
    columns: columns.map((c) => `${c.board.name} .${c.variant}`),
    rows: [
      { label: `Least heap (-X heapsize, bisection to ${RESOLUTION} B): gen-ota / baseline (ratio)` },
      row("board heap budget", (c) => kb(c.board.heap.budgetBytes)),
      row("idle: harness + the board's filesystem mounted", (c) => kb(c.idle)),
      row("floor: one socket, one chunk read, sha256, one file write", (c) => kb(c.floor)),
      heapRow("import", "import"),
      heapRow("check(), up to date", "check"),
      heapRow(`full update, ${Object.keys(v1.files).length} files, ${kb(appBytes(v1))}`, "full"),
      heapRow(`one-file delta (${DELTA_FILE}, ${bytes(v101.files[DELTA_FILE]!.length)})`, "delta"),
      row(`gen-ota full update with ${EXTRA_FILES} more files (manifest +${bytes(extraManifestBytes)}): heap per extra manifest byte`, (c) =>
        `${kb(c.genOta.fullLarger)} (${perManifestByte(c.genOta).toFixed(2)} B/B)`),
      row(`gen-ota full update / floor (target <= ${FLOOR_TARGET}x)`, (c) => {
        const value = (c.genOta.heap.full ?? Infinity) / (c.floor ?? 1);
        return `${value.toFixed(2)}x ${mark(value <= FLOOR_TARGET)}`;
      }),
      row("gen-ota update up to its signature check (SHA-512 and Ed25519 each loaded alone) / full update: the check must not raise the peak", (c) =>
        `${kb(c.verify)} / ${kb(c.genOta.heap.full)}`),
      row("gen-ota on the board's oldest firmware: check / full update / delta / up to the signature check", (c) => {
        if (!c.older) return "1.25 is its oldest";
        if (!c.older.figures) return `${c.older.firmware}: not measured (${c.older.skipped})`;
        const { check, full, delta, verify } = c.older.figures;
        return `${c.older.firmware}: ${kb(check)} / ${kb(full)} / ${kb(delta)} / ${kb(verify)}`;
      }),
      row("gen-ota peak of all four / board budget", (c) => {
        const peak = Math.max(...Object.values(c.genOta.heap).map((v) => v ?? Infinity));
        return `${kb(peak)} of ${kb(c.board.heap.budgetBytes)} ${peak <= c.board.heap.budgetBytes ? "fits" : "DOES NOT FIT"}`;
      }),
      row("gen-ota resident once imported (ota_stage with its chunk buffer): " + ["ota", "ota_http", ...MODULES.filter((m) => m !== "ota" && m !== "ota_http")].join(" + "), (c) =>
        Object.values(c.resident).map((v) => (v / 1024).toFixed(1)).join(" + ") + " KB"),
      { label: "Network (bytes: response bodies; requests include GitHub's 302 to the download host)" },
      ...trafficRows("check()", "check"),
      ...trafficRows("full update", "full"),
      ...trafficRows("one-file delta", "delta"),
      row(`gen-ota delta bytes / (file + manifest = ${bytes(deltaPayload)}) (target <= ${DELTA_TARGET}x)`, (c) => {
        const value = c.genOta.traffic.delta.bodyBytes / deltaPayload;
        return `${value.toFixed(3)}x ${mark(value <= DELTA_TARGET)}`;
      }),
      row("full update: wire bytes (headers included), gen-ota / baseline", (c) =>
        `${bytes(c.genOta.traffic.full.wireBytes)} / ${bytes(c.baseline.traffic.full.wireBytes)}`),
      { label: "Time (this host's unix port, loopback)" },
      row(`full update (process time less import's), median of ${TIMED_RUNS}, gen-ota / baseline`, (c) => `${ms(c.genOta.fullUpdateMs)} / ${ms(c.baseline.fullUpdateMs)}`),
      row(`read + sha256 + write, µs per KB (${CPU_KB} KB, chunk size): bare loop / gen-ota _pump`, (c) =>
        `${c.cpu.bare.toFixed(1)} / ${c.cpu.genOta.toFixed(1)} (${board(c).chunkSize} B)`),
      row(`one signature check (sha512 of the signed input + ed25519 verify): x86-64 instructions of this host's 64-bit unix port, not a board's (issue 11: ~${millions(CHECK_INSTRUCTIONS_TARGET)} x86 to beat)`,
        checkInstructions),
      { label: "Size on flash (.py column: source; .mpy column: board's own ABI)" },
      ...MODULES.map(sizeRow),
      row("main.py / main.mpy", (c) => bytes(c.variant === "py" ? c.sizes["main"]!.py : c.sizes["main"]!.mpy)),
      row("all modules (main.py as source: the firmware runs it so)", (c) =>
        bytes(Object.entries(c.sizes).reduce((sum, [name, size]) => sum + (c.variant === "py" || name === "main" ? size.py : size.mpy), 0))),
      { label: "Generation, cold process (median of 5)" },
      row("node -e ''", (c) => ms(c.generation.node)),
      row("gen-ota, every board of the example (.mpy column: --mpy-abi 6)", (c) =>
        `${ms(c.variant === "py" ? c.generation.generate : c.generation.generateMpy)} (${EXAMPLE_OF[c.board.name]!.split("/")[1]})`),
    ],
  };
}

const board = (column: Column): Target => column.board;

/** The modules in RAM while ota_stage stages files: it imports ota_fs and ota_http, which imports ota_response. */
const STAGING_MODULES = ["ota", "ota_fs", "ota_http", "ota_response", "ota_stage"];

function targetNotes(columns: Column[]): string[] {
  const notes: string[] = [];
  const over = columns.filter((c) => (c.genOta.heap.full ?? Infinity) > FLOOR_TARGET * (c.floor ?? 0));
  notes.push(
    over.length === 0
      ? `- Full update within ${FLOOR_TARGET}x the floor: reached on every board and output.`
      : `- Full update within ${FLOOR_TARGET}x the floor: not reached on ${over.map((c) => `${c.board.name} .${c.variant} (${kb(c.genOta.heap.full)} against ${kb(FLOOR_TARGET * (c.floor ?? 0))})`).join(", ")}.`,
  );
  for (const c of over.filter((c) => c.variant === "mpy")) {
    const code = STAGING_MODULES.reduce((sum, name) => sum + (c.resident[name] ?? 0), 0);
    notes.push(
      `  - ${c.board.name} .mpy: the full update sits ${kb((c.genOta.heap.full ?? 0) - (c.floor ?? 0))} above the floor. ` +
        `While files are staged, the code of ${STAGING_MODULES.join(" + ")} is in RAM: ${kb(code)} (the floor script holds one function), ` +
        `on top of the ${bytes(c.board.chunkSize)} buffer, one parsed manifest entry and the allocator's fragmentation. ` +
        `1.5x the floor leaves ${kb(FLOOR_TARGET * (c.floor ?? 0) - (c.floor ?? 0))} for all of it.`,
    );
  }
  const py = columns.filter((c) => c.variant === "py");
  if (py.length) {
    notes.push(
      `  - .py output: each module is compiled on the device when it is imported, which takes heap in proportion to its source ` +
        `(import ota, ${bytes(py[0]!.sizes["ota"]!.py)} of source: ${py.map((c) => `${kb((c.genOta.heap.import ?? 0) - (c.idle ?? 0))} above idle on ${c.board.name}`).join(", ")}); ` +
        `no split of the modules brings that near the floor.`,
    );
  }
  const worstDelta = Math.max(...columns.map((c) => c.genOta.traffic.delta.bodyBytes / deltaPayload));
  notes.push(`- One-file delta within ${DELTA_TARGET}x of file + manifest: ${worstDelta <= DELTA_TARGET ? "reached" : "not reached"} (worst ${worstDelta.toFixed(3)}x; the rest is the ${bytes(v101.version.length + 1)} ota-version body).`);
  const slower = columns.map((c) => c.genOta.fullUpdateMs / c.baseline.fullUpdateMs);
  notes.push(
    `- Time (no target): gen-ota's full update takes ${Math.min(...slower).toFixed(1)}-${Math.max(...slower).toFixed(1)}x the baseline's on this host, ` +
      `for what makes it safe and small: each file goes to a .part, is hashed as it streams and renamed; leftovers and the running copy ` +
      `are checked (size, then sha256) before anything is fetched; the heap is collected after each file; the journal is written ` +
      `twice; and the .py output compiles its modules as the update loads them. Streaming itself costs what the bare loop does ` +
      `(the read + sha256 + write row).`,
  );
  const checkOk = columns.every((c) => c.genOta.traffic.check.apiRequests === 0 && c.genOta.traffic.check.paths.filter((p) => !p.startsWith("/dl/")).length === 1);
  notes.push(`- Up-to-date check in one request, not to the rate-limited API: ${checkOk ? "reached" : "not reached"} (one request for the ota-version asset, plus GitHub's 302 to its download host).`);
  const counts = columns.flatMap((c) => ("counted" in c.instructions ? [c.instructions.counted[c.variant]] : []));
  notes.push(
    counts.length === 0
      ? `- One signature check, ~${millions(CHECK_INSTRUCTIONS_TARGET)} x86 instructions to beat (issue 11): not measured (${columns.map((c) => ("skipped" in c.instructions ? c.instructions.skipped : "")).find(Boolean)}).`
      : `- One signature check, ~${millions(CHECK_INSTRUCTIONS_TARGET)} x86 instructions to beat (issue 11): ${millions(Math.min(...counts))}-${millions(Math.max(...counts))} ` +
          `x86-64 instructions on this host's 64-bit build. Not a verdict: a 32-bit port does more work per check (see Method), ` +
          `so a count below the target here does not show it beaten on a board's port.`,
  );
  const esp8266 = columns.find((c) => c.board.name === "esp8266");
  if (esp8266) {
    const ota = esp8266.sizes["ota"]!.mpy;
    const all = Object.entries(esp8266.sizes).filter(([name]) => name !== "main").reduce((sum, [, size]) => sum + size.mpy, 0);
    notes.push(`- ESP8266 ota.mpy at most 6 KB: ${ota <= ESP8266_OTA_MPY_TARGET ? "reached" : "not reached"} (${bytes(ota)}; every module together ${bytes(all)}).`);
  }
  return notes;
}

function environment(): string {
  const launch = launchCommand(findMicropython(), ["-c", "import sys; print('%d.%d.%d' % sys.implementation.version[:3])"]);
  const micropython = execFileSync(launch.command, launch.args, { encoding: "utf8" }).trim();
  return `${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}, MicroPython ${micropython} unix port (32-bit)`;
}

function document(table: Table, columns: Column[]): string {
  return `# gen-ota benchmark

Written by \`npm run bench\` (test/bench/run.ts); do not edit by hand. Environment: ${environment()}.

## Method

- **Device.** Every figure comes from MicroPython's 32-bit unix port running the runtime rig's
  board program (generator/simulate/py/board.py) on a 1 MiB flash image with the board's
  filesystem and block size (esp8266: FAT with 4096-byte sectors, others: littlefs2 with
  4096-byte blocks). The 1.25 port has that program, and stand-ins for the \`machine\` and
  \`network\` modules a board has built in (test/runtime/sim/), frozen in: as a board's flash
  driver, boot and built-in modules, their code and names take no heap. The \`.mpy\` columns run
  modules compiled for ABI 6, the only one the unix port loads; the sizes in the \`.mpy\` columns
  are the board's own ABI.
- **Least heap.** The smallest \`-X heapsize\` at which the operation completes correctly (the
  expected result printed, no error logged, the staged files checked against the release),
  found by bisection between ${kb(HIGH)} and 1 KB to ${RESOLUTION} B, confirmed by a second run, then swept
  upwards every ${SWEEP_STEP} B for ${kb(SWEEP_SPAN)}: success is not monotonic in the heap size (where
  long-lived blocks land changes with it), and a size that fails moves the figure above it.
  It includes what the firmware side holds in the heap: the mounted filesystem and the block
  device's objects ("idle" row; FAT's 4 KB sector window is most of the difference between the boards).
- **Firmware.** The columns run on the 1.25 unix port. The "oldest firmware" row runs gen-ota's
  check, full update and delta again on each board's oldest supported firmware (esp8266 1.13,
  esp32 1.19.1, Pico W 1.20.0; their unix ports from the \`GEN_OTA_MICROPYTHON_*\` variables,
  .mpy at the ABI that firmware loads); the budget report bounds from the worst of both. Those
  ports were built without anything frozen in: they load the board program and the stand-ins as
  .mpy, whose code and names take heap a board would not spend (about 3 KB idle, and more at an
  update's peak), so their figures are high.
- **Config.** Every feature but TLS: signed releases (Ed25519, checked before staging), a token, a
  version range, Wi-Fi, update on boot, plain-HTTP endpoints (the unix port here has no ssl module). The figures bound any feature set without TLS;
  they go to targets/measured-heap.json, from which \`gen-ota\` reports and bounds each board's heap.
- **Operations.** import; \`check()\` on a device that runs the latest version; a full update of a
  ${Object.keys(v1.files).length}-file, ${kb(appBytes(v1))} app on a fresh device (gen-ota: a power-on that runs main.py, which
  calls \`ota.boot()\`, connects Wi-Fi and calls \`update()\`, which stages, then resets; baseline:
  \`update()\`, which downloads and moves into place); a one-file delta (\`${DELTA_FILE}\` changed) on a
  device running the app, the same way. gen-ota's updates are measured on boot because that is how
  main.py runs them: what the boot and Wi-Fi leave behind (main.py's and ota_main's code, their
  names) is in the figure, about 5 KB more than \`update()\` called from a bare prompt.
- **Baseline.** test/bench/baseline.py, written for this benchmark the way the seed updater works:
  the REST API's \`releases/latest\` (${kb(benchReleaseJsonBytes())} of JSON with notes and author objects, as GitHub's) and
  \`contents?ref=\` listings per directory, each parsed whole; each file downloaded whole into RAM
  over HTTP/1.0 and written; every file on every update. Same server, same bisection.
- **Floor.** test/bench/floor.py, in the same form as the column (.py or .mpy): one socket, one
  chunk of the board's chunk size read into a preallocated buffer, hashed, written to a file.
- **Network.** test/bench/server.ts answers like GitHub on loopback: release assets behind a 302 to
  a signed URL on another host name, raw files, the API's JSON. Bytes are response bodies (what the
  device must parse or store); wire bytes add status lines and headers, which GitHub makes larger.
- **Time.** On this host, the median process time of import + full update less that of import
  alone, at the board's heap budget (or 1.25x the least heap if that is larger), ${TIMED_RUNS} runs each. CPU per KB: a local loop
  reading, hashing and writing ${CPU_KB} KB in chunk-sized pieces on the board's filesystem, the
  bare loop next to gen-ota's own \`ota_stage._pump\`; absolute figures are this host's (a board
  is tens of times slower), the ratio carries over.
- **Instructions.** One signature check as \`ota.update()\` makes it: \`ota_sha512.sha512\` of the
  signed input (R, the key, "gen-ota release v1\\n" and a manifest's SHA-256), then
  \`ota_ed25519.verify\`, of a signature made with Node's crypto, with each board's generated modules
  (.py, and .mpy for ABI 6). Counted by valgrind's callgrind, which runs native programs only, on a
  64-bit build of the same 1.25 unix port (test/runtime/build-micropython.sh --x86-64) with
  \`-X heapsize=${kb(INSTRUCTIONS_HEAP)}\` (twice ESP32's budget: a 64-bit object takes up to twice the
  bytes): the instructions of a run that imports the two modules and makes the check, less those of
  one that imports them and stops (test/bench/instructions.ts). The bytecode is every board's, the
  count is this host's x86-64 instructions: a board executes another instruction set, and a 32-bit
  port keeps big numbers in 16-bit digits (here 32) and small integers in 31 bits (here 63), so it
  does more work per check than this count shows. Without valgrind the row says "not measured".
- **Generation.** A fresh \`node dist/generator/cli.js --config <example>\` process per run, next to
  \`node -e ''\` in the same run.

## Results

${markdown(table)}

## Targets (issues 4 and 11)

${targetNotes(columns).join("\n")}
`;
}

function benchReleaseJsonBytes(): number {
  return releaseJson("acme/widget", v1).length;
}

/** targets/measured-heap.json: the heap model of targets/heap.ts, which generator/budget.ts reports. */
function measuredHeapTable(columns: Column[]): MeasuredHeap {
  const table: MeasuredHeap = {
    about:
      `Least GC heap (bytes) in which gen-ota's updater completes each operation, by bisection on -X heapsize of the ` +
      `32-bit MicroPython unix port with the board's filesystem and block size mounted; written by npm run bench (test/bench/run.ts, ` +
      `see docs/bench.md). Config: every feature but TLS (signed releases, token, version range, Wi-Fi, update on boot), plain-HTTP ` +
      `endpoints; app: ${Object.keys(v1.files).length} files, ${appBytes(v1)} bytes; full, delta, verify (up to the signature check) and ` +
      `fullLarger (${EXTRA_FILES} more files) run on boot through main.py; boards: on firmware ${CURRENT_FIRMWARE.version}, .mpy as ABI 6; ` +
      `olderFirmware: check, full, delta and verify on each board's oldest supported firmware, .mpy at the ABI it loads.`,
    manifestBytes: manifestBytes(v1),
    largerManifestBytes: manifestBytes(largerBenchApp("1.0.0")),
    boards: {},
    firmware: CURRENT_FIRMWARE.version,
    olderFirmware: {},
  };
  for (const c of columns) {
    const { import: imported, check, full, delta } = c.genOta.heap;
    if (imported === undefined || check === undefined || full === undefined || delta === undefined) continue;
    const figures: MeasuredForm = {
      import: imported, check, full, delta, perManifestByte: Number(perManifestByte(c.genOta).toFixed(2)),
      ...(c.verify !== undefined ? { verify: c.verify } : {}),
      ...(c.genOta.fullLarger !== undefined ? { fullLarger: c.genOta.fullLarger } : {}),
    };
    table.boards[c.board.name] = { ...table.boards[c.board.name], [c.variant]: figures };
    const older = c.older?.figures;
    if (c.older && older && older.check !== undefined && older.full !== undefined && older.delta !== undefined) {
      const byFirmware = (table.olderFirmware![c.board.name] ??= {});
      const verify = older.verify !== undefined ? { verify: older.verify } : {};
      byFirmware[c.older.firmware] = { ...byFirmware[c.older.firmware], [c.variant]: { check: older.check, full: older.full, delta: older.delta, ...verify } };
    }
  }
  return table;
}

async function main(): Promise<void> {
  const columns: Column[] = [];
  const generationCache = new Map<string, Column["generation"]>();
  for (const name of BOARDS) {
    const target = targets.get(name)!;
    const config = EXAMPLE_OF[name]!;
    if (!generationCache.has(config)) generationCache.set(config, generationTimes(config));
    const sizes = await moduleSizes(target);
    process.stderr.write(`bench: ${name} signature check instructions\n`);
    const instructions = await signatureCheckInstructions(target);
    for (const variant of VARIANTS) {
      process.stderr.write(`bench: ${name} .${variant}\n`);
      columns.push(await measureColumn(target, variant, generationCache.get(config)!, sizes, instructions));
    }
  }
  const table = buildTable(columns);
  process.stdout.write(`${text(table)}\n\n${targetNotes(columns).join("\n")}\n`);
  writeFileSync(join(packageRoot(), "docs", "bench.md"), document(table, columns));
  writeFileSync(measuredHeapPath(), `${JSON.stringify(measuredHeapTable(columns), null, 2)}\n`);
  process.stderr.write("bench: wrote docs/bench.md and targets/measured-heap.json\n");
}

await main();
