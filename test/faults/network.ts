/**
 * Network faults at every phase of an update: the version check, the manifest, and each file.
 * A device runs 1.0.0; 1.1.0, whose every file changed, is published; the server misbehaves on
 * one phase's request while the device calls `ota.update()`. Each case must end with 1.0.0
 * still running, staging cleaned (journal idle, no /next) or resumable (journal staging, every
 * complete file in /next verified), one `ota: ... failed: ...` line, no traceback, every socket
 * closed; then, with the server well again, `ota.update()` stages 1.1.0 and a boot runs it.
 *
 * Device code: the .mpy output at the board's heap budget, `update: "manual"`, a 1 s socket
 * timeout, and a token (to check it never crosses to another host). Faults are per server, so
 * cases run in slots: each slot is its own server and flashed device, cases within it in turn.
 */
import { createServer } from "node:net";
import { targets } from "../../targets/index.js";
import { describe as describeRun, type Device } from "../runtime/device.js";
import { startGithubServer, type Fault, type GithubServer, type RequestInfo } from "../runtime/server.js";
import { BOOT_SNIPPET, flashDevice, testConfig, type ImageOptions } from "../runtime/updater.js";
import { CURRENT_FIRMWARE, firmwareColumns, firmwareImage, runtimeOrSkip } from "../runtime/firmware.js";
import { testHeap } from "../runtime/over-budget.js";
import {
  appState, bootAndInspect, classifyApp, INSPECT, installInspector, parseInspection, POOL, readJournal, record, RELIABILITY_RUN,
  type AppRelease, type Inspection,
} from "./common.js";
import { V1 } from "./power.js";

const APP_DIR = "/project";
export const TOKEN = "ghp_faults0123456789";

/** Every file of 1.0.0 changed, so each one is downloaded: a phase per file. */
export const V11_ALL: AppRelease = {
  version: "1.1.0",
  prerelease: false,
  files: Object.fromEntries(
    Object.entries(V1.files).map(([path, text]) => [
      path,
      path === "main.py" ? text.replace("1.0.0", "1.1.0") : path === "config.json" ? '{"interval": 61}\n' : `${text}# 1.1.0\n`,
    ]),
  ),
};

/**
 * Wraps the socket module so the test can count sockets left open: ota_http imports
 * socket (or usocket) after install() and gets this module.
 */
export const SOCKET_SHIM = `import sys
import socket as _real

OPEN = []
getaddrinfo = _real.getaddrinfo


class socket:
    def __init__(self, *args):
        self._s = _real.socket(*args)
        OPEN.append(self)

    def close(self):
        if self in OPEN:
            OPEN.remove(self)
        self._s.close()

    def settimeout(self, t):
        self._s.settimeout(t)

    def setblocking(self, flag):
        self._s.setblocking(flag)

    def connect(self, address):
        self._s.connect(address)

    def write(self, data):
        return self._s.write(data)

    def readline(self):
        return self._s.readline()

    def read(self, n=-1):
        return self._s.read() if n < 0 else self._s.read(n)

    def readinto(self, buf, n=-1):
        return self._s.readinto(buf) if n < 0 else self._s.readinto(buf, n)


def install():
    me = sys.modules[__name__]
    sys.modules['socket'] = me
    sys.modules['usocket'] = me
`;

export const UPDATE_SNIPPET = [
  "import fault_socket",
  "fault_socket.install()",
  "import ota",
  "print('RESULT', ota.update())",
  "print('OPEN_SOCKETS', len(fault_socket.OPEN))",
].join("\n");

/** A phase of an update and the request that carries its body (after the redirects). */
export interface Phase {
  id: string;
  match: (req: RequestInfo) => boolean;
  /** Whether the update writes nothing before this phase (check and manifest). */
  beforeWrites: boolean;
}

const assetPath = (req: RequestInfo): string => req.path.split("?")[0] ?? "";

export function phasesOf(release: AppRelease, dir = "project"): Phase[] {
  const files = Object.keys(release.files).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return [
    { id: "check", match: (req) => req.path.startsWith("/dl/") && assetPath(req).endsWith("/ota-version"), beforeWrites: true },
    { id: "manifest", match: (req) => req.path.startsWith("/dl/") && assetPath(req).endsWith("/ota-manifest.json"), beforeWrites: true },
    ...files.map((file): Phase => ({
      id: `file ${file}`,
      match: (req) => req.path.startsWith("/raw/") && req.path.endsWith(`/${dir}/${file}`),
      beforeWrites: false,
    })),
  ];
}

/** One way the network fails, and whether the update must fail or may go through. */
export interface NetworkFault {
  id: string;
  fault: (closedPort: number) => Fault;
  /** "succeed": a redirect to another host is how GitHub serves assets; it must be followed. */
  expect: "fail" | "succeed";
  /** Applies to the first matching request only (the redirect's target then answers normally). */
  once?: boolean;
}

export const NETWORK_FAULTS: NetworkFault[] = [
  { id: "connection refused", fault: (port) => ({ kind: "redirect-other-host", location: `http://127.0.0.1:${port}/gone` }), expect: "fail" },
  { id: "reset before answering", fault: () => ({ kind: "refuse" }), expect: "fail" },
  { id: "reset mid-body", fault: () => ({ kind: "reset-mid-body" }), expect: "fail" },
  { id: "body shorter than Content-Length", fault: () => ({ kind: "short-body" }), expect: "fail" },
  { id: "chunked body cut off", fault: () => ({ kind: "chunked-cut" }), expect: "fail" },
  { id: "stall before the status line", fault: () => ({ kind: "stall" }), expect: "fail" },
  { id: "stall mid-body", fault: () => ({ kind: "stall", afterBytes: 3 }), expect: "fail" },
  { id: "HTTP 500", fault: () => ({ kind: "status", code: 500, body: "Internal Server Error" }), expect: "fail" },
  { id: "HTTP 502", fault: () => ({ kind: "status", code: 502, body: "Bad Gateway" }), expect: "fail" },
  { id: "HTTP 503", fault: () => ({ kind: "status", code: 503, headers: { "retry-after": "60" }, body: "Service Unavailable" }), expect: "fail" },
  {
    id: "403 rate limit",
    fault: () => ({
      kind: "status", code: 403,
      headers: { "x-ratelimit-limit": "60", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1767225600" },
      body: '{"message":"API rate limit exceeded"}',
    }),
    expect: "fail",
  },
  { id: "HTTP 404", fault: () => ({ kind: "status", code: 404, body: "Not Found" }), expect: "fail" },
  { id: "redirect loop", fault: () => ({ kind: "redirect-loop" }), expect: "fail" },
  { id: "redirect to another host", fault: () => ({ kind: "redirect-other-host" }), expect: "succeed", once: true },
  { id: "a body 256 KiB larger than expected", fault: () => ({ kind: "oversize" }), expect: "fail" },
];

/** A server with a device that runs 1.0.0 while 1.1.0 is published: the image every case copies. */
export interface Slot {
  server: GithubServer;
  base: Device;
}

async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function runOk(device: Device, snippet: string, what: string): Promise<string[]> {
  const result = await device.run(snippet);
  if (result.code !== 0 || result.exception) throw new Error(`${what} failed\n${describeRun(result)}`);
  return result.output;
}

export async function makeSlot(boardName: string, image: ImageOptions = {}, heapBytes?: number): Promise<Slot> {
  const board = targets.get(boardName)!;
  const server = await startGithubServer({ releases: [V1] });
  const config = testConfig(board, server, { update: "manual", timeoutSeconds: 1, token: { kind: "secret", name: "GITHUB_TOKEN" } });
  const base = await flashDevice(config, boardName, "mpy", heapBytes, image);
  await installInspector(base);
  await base.writeFiles({
    "/lib/fault_socket.py": SOCKET_SHIM,
    "/secrets.json": JSON.stringify({ WIFI_SSID: "test-net", WIFI_PASS: "test-pass", GITHUB_TOKEN: TOKEN }),
  });
  const staged = await runOk(base, "import ota\nprint('RESULT', ota.update())", "prepare: update");
  if (!staged.includes("RESULT 1.0.0")) throw new Error(`prepare: 1.0.0 not staged\n${staged.join("\n")}`);
  const booted = await runOk(base, BOOT_SNIPPET, "prepare: boot");
  if (!booted.includes("APP RUNNING widget 1.0.0")) throw new Error(`prepare: 1.0.0 does not run\n${booted.join("\n")}`);
  server.publish(V11_ALL);
  return { server, base };
}

export async function disposeSlot(slot: Slot): Promise<void> {
  await slot.base.dispose();
  await slot.server.close();
}

/** Problems with the staging area after a failed update: [] when cleaned or resumable. */
function stagingProblems(inspection: Inspection, release: AppRelease): { problems: string[]; complete: number } {
  const journal = readJournal(inspection);
  const next = Object.keys(inspection.files).filter((path) => path.startsWith("/next/"));
  if (journal === undefined || journal["state"] === "idle") {
    return { problems: next.length > 0 ? [`journal idle but /next holds ${next.join(", ")}`] : [], complete: 0 };
  }
  if (journal["state"] !== "staging" || journal["next"] !== release.version) return { problems: [`journal ${JSON.stringify(journal)} after a failed update`], complete: 0 };
  const expected = appState(release).files;
  const problems: string[] = [];
  let complete = 0;
  for (const path of next) {
    const relative = path.slice("/next/".length);
    if (relative.endsWith(".part") || relative === ".manifest") continue; // the manifest staged first; .part: older staging
    if (expected[relative] !== inspection.files[path]) problems.push(`${path} in /next does not match the manifest`);
    else complete++;
  }
  return { problems, complete };
}

export interface CaseOutcome {
  phase: string;
  fault: string;
  /** "old": failed with 1.0.0 intact; "new": went through (a fault the device may ride out). */
  outcome?: "old" | "new";
  staging?: "cleaned" | "resumable" | "untouched";
  /** The one error line the device logged, with the server's port masked. */
  errorLine?: string;
  problems: string[];
}

export const ERROR_LINE = /^ota: (check|update) failed: \S/;

/** One fault at one phase on a copy of the slot's base image, then the recovery. */
export async function runNetworkCase(slot: Slot, phase: Phase, fault: NetworkFault, port: number): Promise<CaseOutcome> {
  const outcome: CaseOutcome = { phase: phase.id, fault: fault.id, problems: [] };
  const fail = (problem: string): CaseOutcome => {
    outcome.problems.push(`${phase.id} / ${fault.id}: ${problem}`);
    return outcome;
  };
  const { server } = slot;
  const device = await slot.base.copy();
  try {
    server.clearFaults();
    server.resetLog();
    server.setFault({ ...fault.fault(port), match: phase.match, once: fault.once ?? false });
    const run = await device.exec([["run", UPDATE_SNIPPET], ["run", INSPECT]]);
    const log = [...server.requests];
    server.clearFaults();
    if (run.code !== 0 || run.exception || run.timedOut) return fail(`the update crashed\n${describeRun(run)}`);
    if (!log.some((request) => request.fault !== undefined)) return fail(`the phase was never reached\n${run.output.join("\n")}`);
    if (run.stderr !== "") return fail(`stderr: ${run.stderr}`);
    if (!run.output.includes("OPEN_SOCKETS 0")) return fail(`sockets left open: ${run.output.find((l) => l.startsWith("OPEN_SOCKETS"))}`);
    if (log.some((request) => request.host.startsWith("localhost") && request.headers.authorization !== undefined)) return fail("the token crossed to another host");
    if (run.stdout.includes(TOKEN)) return fail("the token was logged");
    const inspection = parseInspection(run.lines);
    const deviceLines = run.output.filter((line) => !line.startsWith("INSPECT ") && !line.startsWith("RESULT ") && !line.startsWith("OPEN_SOCKETS "));
    const errors = deviceLines.filter((line) => ERROR_LINE.test(line));
    if (fault.expect === "succeed") {
      if (!run.output.includes(`RESULT ${V11_ALL.version}`)) return fail(`expected the update to go through\n${run.output.join("\n")}`);
      if (errors.length > 0) return fail(`unexpected error: ${errors.join(" | ")}`);
      outcome.outcome = "new";
    } else {
      if (!run.output.includes("RESULT None")) return fail(`update() did not return None\n${deviceLines.join("\n")}`);
      if (errors.length !== 1) return fail(`expected one error line, got ${errors.length}\n${deviceLines.join("\n")}`);
      outcome.errorLine = errors[0]!.replace(/:\d{2,5}\//g, ":PORT/").replace(/sig=[0-9a-f]+/, "sig=…");
      const app = classifyApp(inspection, APP_DIR, { old: appState(V1) });
      if (app.problem) return fail(app.problem);
      if (phase.beforeWrites && run.writes !== 0) return fail(`${run.writes} block writes before the manifest was accepted`);
      const staging = stagingProblems(inspection, V11_ALL);
      if (staging.problems.length > 0) return fail(staging.problems.join("; "));
      outcome.staging = run.writes === 0 ? "untouched" : readJournal(inspection)?.["state"] === "staging" ? "resumable" : "cleaned";
      outcome.outcome = "old";
      // the server is well again: the next update finishes the job, reusing what was verified
      const again = await device.run(UPDATE_SNIPPET);
      if (!again.output.includes(`RESULT ${V11_ALL.version}`)) return fail(`the next update failed\n${describeRun(again)}`);
      const kept = again.output.filter((line) => line.startsWith("ota: kept ")).length;
      if (kept < staging.complete) return fail(`only ${kept} of ${staging.complete} verified files kept on resume`);
    }
    const boot = await bootAndInspect(device);
    if (!boot.inspection) return fail(`boot failed\n${describeRun(boot.result)}`);
    if (!boot.result.output.includes(`APP RUNNING widget ${V11_ALL.version}`)) return fail(`1.1.0 does not run\n${boot.result.output.join("\n")}`);
    const after = classifyApp(boot.inspection, APP_DIR, { new: appState(V11_ALL) });
    if (after.problem) return fail(after.problem);
    return outcome;
  } finally {
    await device.dispose();
  }
}

/**
 * Runs `fn` over the cases on `slots` servers with a flashed device each (see makeSlot): the
 * slots in parallel, each slot's cases in turn. Results in the cases' order.
 */
export async function runInSlots<T, R>(
  boardName: string, cases: readonly T[], fn: (slot: Slot, item: T) => Promise<R>, image: ImageOptions = {}, heapBytes?: number,
): Promise<R[]> {
  const slots = await Promise.all(Array.from({ length: Math.min(POOL, cases.length) }, () => makeSlot(boardName, image, heapBytes)));
  const results: R[] = new Array<R>(cases.length);
  try {
    await Promise.all(slots.map(async (slot, s) => {
      for (let i = s; i < cases.length; i += slots.length) results[i] = await fn(slot, cases[i]!);
    }));
  } finally {
    await Promise.all(slots.map(disposeSlot));
  }
  return results;
}

/** Every fault at every phase on one board, spread over slots; records a row per fault. */
export async function runNetworkMatrix(
  boardName: string, faults = NETWORK_FAULTS, firmware = CURRENT_FIRMWARE, image: ImageOptions = {}, phases = phasesOf(V11_ALL),
): Promise<CaseOutcome[]> {
  const port = await closedPort();
  const cases = faults.flatMap((fault) => phases.map((phase) => ({ fault, phase })));
  const started = new Map<string, number>();
  const finished = new Map<string, number>();
  const outcomes = await runInSlots(boardName, cases, async (slot, { fault, phase }) => {
    if (!started.has(fault.id)) started.set(fault.id, Date.now());
    const outcome = await runNetworkCase(slot, phase, fault, port);
    finished.set(fault.id, Date.now());
    return outcome;
  }, image, testHeap({ board: boardName, variant: "mpy", firmware }));
  for (const fault of faults) {
    const mine = outcomes.filter((o) => o.fault === fault.id);
    const staging = ["untouched", "cleaned", "resumable"].map((s) => `${mine.filter((o) => o.staging === s).length} ${s}`).join(", ");
    const example = (mine.find((o) => o.errorLine && o.phase.startsWith("file")) ?? mine.find((o) => o.errorLine))?.errorLine;
    record({
      suite: "network",
      scenario: fault.id,
      order: faults.indexOf(fault),
      board: firmware === CURRENT_FIRMWARE ? boardName : `${boardName} on ${firmware.version}`,
      tried: mine.length,
      old: mine.filter((o) => o.problems.length === 0 && o.outcome === "old").length,
      new: mine.filter((o) => o.problems.length === 0 && o.outcome === "new").length,
      broken: mine.filter((o) => o.problems.length > 0).length,
      seconds: Math.round(((finished.get(fault.id) ?? 0) - (started.get(fault.id) ?? 0)) / 100) / 10,
      note: fault.expect === "succeed" ? "followed; the token stays with the first host" : `staging ${staging}; e.g. \`${example ?? ""}\``,
    });
  }
  return outcomes;
}

/** The phases of a sample: the check, the manifest, and the first and last file (the middle files are alike). */
function samplePhases(phases: Phase[]): Phase[] {
  return phases.filter((phase, index) => !phase.id.startsWith("file") || index === 2 || index === phases.length - 1);
}

/**
 * Every fault at every phase on 1.25, and with `oldest` on the board's oldest firmware too (its
 * .mpy ABI and sector size; a runtime not given is a skip, or under CI=true a failure). The old
 * column is opt-in: the matrix takes minutes per board, and the hostile suite already runs the
 * same HTTP client on every board's oldest firmware. With `sample`, `npm test` runs each fault at
 * the check, the manifest and the first and last file only (CI's time: the HTTP client is the
 * same on every board, and esp8266 runs every phase on 1.25); the oldest firmware's column is
 * always sampled so in `npm test`. `npm run reliability` runs every phase.
 */
export function networkSuite(boardName: string, options: { oldest?: boolean; sample?: boolean } = {}): void {
  const board = targets.get(boardName)!;
  const every = phasesOf(V11_ALL);
  for (const firmware of options.oldest ? firmwareColumns(board) : [CURRENT_FIRMWARE]) {
    const phases = !RELIABILITY_RUN && (options.sample || firmware !== CURRENT_FIRMWARE) ? samplePhases(every) : every;
    const micropython = runtimeOrSkip(firmware);
    const on = firmware === CURRENT_FIRMWARE ? "" : ` on MicroPython ${firmware.version}`;
    const which = phases === every ? "every phase" : `${phases.length} of ${every.length} phases`;
    (micropython ? test : test.skip)(`${boardName}${on}: every network fault at ${which} leaves the running version and recovers`, async () => {
      const outcomes = await runNetworkMatrix(boardName, NETWORK_FAULTS, firmware, firmwareImage(board, firmware, micropython), phases);
      expect(outcomes.length).toBe(NETWORK_FAULTS.length * phases.length);
      expect(outcomes.flatMap((o) => o.problems).slice(0, 4)).toEqual([]);
    }, 600_000);
  }
}
