/**
 * Hostile and broken manifests. A device runs 1.0.0; the server says 1.1.0 exists and serves,
 * in place of its manifest (or of the version file before it), each body below. `ota.update()` must refuse it before any block
 * write (the journal included), log one `ota: update failed: <reason>` line, return None, and
 * leave every socket closed. Device code: the .mpy output at the board's heap budget.
 */
import { targets } from "../../targets/index.js";
import { describe as describeRun } from "../runtime/device.js";
import { ERROR_LINE, runInSlots, UPDATE_SNIPPET, V11_ALL, type Slot } from "./network.js";
import { record, secondsSince, sha256 } from "./common.js";
import { SIGNATURE_ASSET, signatureFile } from "../../generator/release/sign.js";
import { sequenceOf, TEST_SIGNING_KEY } from "../runtime/assets.js";
import { MAX_APP_PATH_CHARS } from "../../generator/reserved-paths.js";
import { COLLIDING_NAMES } from "../release/colliding-names.js";

const HASH = sha256("x");

interface Entry {
  path?: unknown;
  size?: unknown;
  sha256?: unknown;
}

const entry = (path: unknown, size: unknown = 1, digest: unknown = HASH): Entry => ({ path, size, sha256: digest });
/**
 * Signed fields as gen-ota release writes them, so that what is refused is the manifest's own
 * content; at the installed release's sequence, so that no trust record is written either.
 */
const manifest = (files: unknown, version: unknown = "1.1.0"): string =>
  JSON.stringify({ version, sequence: sequenceOf("1.0.0"), boards: ["esp8266", "esp32", "rp2-pico-w", "unix"], files });

const UNSIGNED_HEAD = "ota: update refused: signed manifest without a sequence";

/** A hostile manifest body for a board (some depend on its budgets), and the reason it must be refused for. */
export interface HostileCase {
  id: string;
  body: (limits: { maxManifest: number; maxApp: number }) => string | Buffer;
  reason: RegExp;
}

const REAL = JSON.stringify({
  version: "1.1.0",
  files: Object.entries(V11_ALL.files).map(([path, text]) => ({ path, size: Buffer.byteLength(text), sha256: sha256(text) })),
});

export const HOSTILE_CASES: HostileCase[] = [
  { id: "path with ..", body: () => manifest([entry("../boot.py")]), reason: /path segment refused/ },
  { id: "path climbing out through a directory", body: () => manifest([entry("lib/../../main.py")]), reason: /path segment refused/ },
  { id: "absolute path", body: () => manifest([entry("/main.py")]), reason: /not relative/ },
  { id: "backslash path", body: () => manifest([entry("..\\main.py")]), reason: /not relative/ },
  { id: "drive path", body: () => manifest([entry("C:/main.py")]), reason: /not relative/ },
  { id: "the updater's own .version", body: () => manifest([entry(".version")]), reason: /path segment refused/ },
  { id: "the updater's ota_fetch.py", body: () => manifest([entry("main.py"), entry("ota_fetch.py")]), reason: /path reserved for the updater: 'ota_fetch\.py'/ },
  { id: "the updater's ota.py in capitals", body: () => manifest([entry("OTA.PY")]), reason: /path reserved for the updater/ },
  { id: "a compiled ota_stage.mpy", body: () => manifest([entry("ota_stage.mpy")]), reason: /path reserved for the updater/ },
  { id: "boot.py", body: () => manifest([entry("boot.py")]), reason: /path reserved for the updater: 'boot\.py'/ },
  { id: "empty path", body: () => manifest([entry("")]), reason: /bad path/ },
  { id: "empty segment", body: () => manifest([entry("lib//util.py")]), reason: /path segment refused/ },
  // the limit gen-ota release holds releases to (GEN_OTA_0715), one over
  { id: `path of ${MAX_APP_PATH_CHARS + 1} characters`, body: () => manifest([entry("a".repeat(MAX_APP_PATH_CHARS + 1))]), reason: /bad path/ },
  { id: "control character in path", body: () => manifest([entry("main.py\u0000.txt")]), reason: /bad path|refused/ },
  { id: "duplicate path", body: () => manifest([entry("main.py"), entry("main.py")]), reason: /duplicate path/ },
  { id: "names that differ only in case", body: () => manifest([entry("Main.py"), entry("main.py")]), reason: /duplicate path/ },
  { id: "two names with one name key", body: () => manifest(COLLIDING_NAMES.map((name) => entry(name))), reason: new RegExp(`duplicate path '${COLLIDING_NAMES[1]}'`) },
  { id: "a path that is both a file and a directory", body: () => manifest([entry("lib"), entry("lib/util.py")]), reason: /both a file and a directory/ },
  { id: "one file past the flash budget", body: ({ maxApp }) => manifest([entry("big.bin", maxApp + 1)]), reason: /flash budget/ },
  { id: "files adding up past the flash budget", body: ({ maxApp }) => manifest([entry("a.bin", maxApp / 2 + 1), entry("b.bin", maxApp / 2 + 1)]), reason: /flash budget/ },
  { id: "size of 10^30", body: () => manifest([entry("a.bin", 1e30)]).replace("1e+30", "1000000000000000000000000000000"), reason: /flash budget|bad size/ },
  { id: "negative size", body: () => manifest([entry("a.bin", -1)]), reason: /bad size/ },
  { id: "size as a string", body: () => manifest([entry("a.bin", "12")]), reason: /bad size/ },
  { id: "fractional size", body: () => manifest([entry("a.bin", 1.5)]), reason: /bad size/ },
  { id: "size true", body: () => manifest([entry("a.bin", true)]), reason: /bad size/ },
  { id: "sha256 too short", body: () => manifest([entry("a.bin", 1, "abc")]), reason: /bad sha256/ },
  { id: "sha256 not hex", body: () => manifest([entry("a.bin", 1, "z".repeat(64))]), reason: /bad sha256/ },
  { id: "sha256 in capitals", body: () => manifest([entry("a.bin", 1, HASH.toUpperCase())]), reason: /bad sha256/ },
  { id: "sha256 a number", body: () => manifest([entry("a.bin", 1, 12)]), reason: /bad sha256/ },
  { id: "path a number", body: () => manifest([entry(12)]), reason: /bad path/ },
  { id: "entry a string", body: () => manifest(["main.py"]), reason: /not an object/ },
  { id: "files an object", body: () => manifest({ "main.py": entry("main.py") }), reason: /without files/ },
  { id: "no files", body: () => manifest([]), reason: /without files/ },
  { id: "no version", body: () => JSON.stringify({ files: [entry("main.py")] }), reason: /semver/ },
  { id: "version 1.1", body: () => manifest([entry("main.py")], "1.1"), reason: /semver/ },
  { id: "version with a leading zero", body: () => manifest([entry("main.py")], "01.1.0"), reason: /semver/ },
  { id: "version a number", body: () => manifest([entry("main.py")], 110), reason: /semver/ },
  { id: "version other than the one asked", body: () => manifest([entry("main.py")], "9.9.9"), reason: /9\.9\.9/ },
  { id: "top level an array", body: () => JSON.stringify([REAL]), reason: /semver/ },
  { id: "top level null", body: () => "null", reason: /semver/ },
  { id: "truncated JSON", body: () => REAL.slice(0, Math.floor(REAL.length / 2)), reason: /not valid JSON/ },
  { id: "an HTML page", body: () => "<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>", reason: /not valid JSON/ },
  { id: "empty body", body: () => "", reason: /not valid JSON/ },
  { id: "bytes that are not UTF-8", body: () => Buffer.concat([Buffer.from('{"version":"1.1.0","files":[{"path":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","size":1,"sha256":"' + HASH + '"}]}')]), reason: /not valid JSON|bad path|refused/ },
  { id: "nested 1000 deep", body: () => "[".repeat(1000) + "]".repeat(1000), reason: /not valid JSON|semver|memory|depth/ },
  { id: "larger than the device may hold", body: ({ maxManifest }) => REAL.replace("{", `{"padding":"${" ".repeat(maxManifest)}",`), reason: /over the \d+ allowed/ },
];

/** Bodies served as `ota-version`, the one small answer that says whether there is anything to do. */
export const HOSTILE_VERSION_CASES: HostileCase[] = [
  { id: "version file: a captive portal's HTML", body: () => "<html><body>Sign in</body></html>", reason: /check failed: .*not a version/ },
  { id: "version file: bytes that are not UTF-8", body: () => Buffer.from([0xff, 0xfe, 0x31, 0x0a]), reason: /check failed: .*not a version/ },
  { id: "version file: empty", body: () => "", reason: /check failed: .*not a version/ },
  { id: "version file: 1.1", body: () => "1.1\n", reason: /check failed: .*not a version/ },
  { id: "version file: the tag v1.1.0", body: () => "v1.1.0\n", reason: /check failed: .*not a version/ },
  { id: "version file: 100 bytes", body: () => `${"1".repeat(99)}\n`, reason: /check failed: .*over the 64 allowed/ },
];

export interface HostileOutcome {
  id: string;
  refused: boolean;
  line?: string;
  problems: string[];
}

async function runHostileCase(slot: Slot, hostile: HostileCase, limits: { maxManifest: number; maxApp: number }): Promise<HostileOutcome> {
  const asset = hostile.id.startsWith("version file") ? "/ota-version" : "/ota-manifest.json";
  const outcome: HostileOutcome = { id: hostile.id, refused: false, problems: [] };
  const fail = (problem: string): HostileOutcome => {
    outcome.problems.push(`${hostile.id}: ${problem}`);
    return outcome;
  };
  const device = await slot.base.copy();
  try {
    slot.server.clearFaults();
    const body = hostile.body(limits);
    slot.server.setFault({
      kind: "body",
      body,
      match: (req) => req.path.startsWith("/dl/") && (req.path.split("?")[0] ?? "").endsWith(asset),
    });
    if (asset === "/ota-manifest.json") {
      // signed with the trusted key: the manifest's own checks must hold even for a signed one
      slot.server.setFault({
        kind: "body",
        body: signatureFile(body, [TEST_SIGNING_KEY]),
        match: (req) => req.path.startsWith("/dl/") && (req.path.split("?")[0] ?? "").endsWith(`/${SIGNATURE_ASSET}`),
      });
    }
    const run = await device.run(UPDATE_SNIPPET);
    slot.server.clearFaults();
    if (run.code !== 0 || run.exception || run.timedOut || run.stderr !== "") return fail(`the update crashed\n${describeRun(run)}`);
    // a body without the signed head gen-ota release writes is refused by the signature check
    const errors = run.output.filter((line) => ERROR_LINE.test(line) || line === UNSIGNED_HEAD);
    if (errors.length !== 1) return fail(`expected one error line, got\n${run.output.join("\n")}`);
    outcome.line = errors[0];
    if (!hostile.reason.test(errors[0]!) && errors[0] !== UNSIGNED_HEAD) return fail(`refused for another reason: ${errors[0]}`);
    if (!run.output.includes("RESULT None")) return fail(`update() did not return None\n${run.output.join("\n")}`);
    if (run.writes !== 0) return fail(`${run.writes} block writes before the manifest was refused`);
    if (!run.output.includes("OPEN_SOCKETS 0")) return fail("a socket was left open");
    outcome.refused = true;
    return outcome;
  } finally {
    await device.dispose();
  }
}

/** Every hostile manifest on one board; records one row. */
export async function runHostileManifests(boardName: string): Promise<HostileOutcome[]> {
  const started = Date.now();
  const board = targets.get(boardName)!;
  const limits = { maxManifest: board.maxManifestBytes, maxApp: board.flash.budgetBytes };
  const outcomes = await runInSlots(boardName, [...HOSTILE_VERSION_CASES, ...HOSTILE_CASES], (slot, hostile) => runHostileCase(slot, hostile, limits));
  record({
    suite: "manifest",
    scenario: "hostile manifests and version files",
    board: boardName,
    tried: outcomes.length,
    old: outcomes.filter((o) => o.refused && o.problems.length === 0).length,
    new: 0,
    broken: outcomes.filter((o) => o.problems.length > 0).length,
    seconds: secondsSince(started),
    note: "each refused before any block write, one log line",
    cases: outcomes.map((o) => ({ id: o.id, line: o.line?.replace(/:\d{2,5}\//g, ":PORT/") })),
  });
  return outcomes;
}

export function hostileManifestSuite(boardName: string): void {
  test(`${boardName}: every hostile manifest is refused before any write, in one line`, async () => {
    const outcomes = await runHostileManifests(boardName);
    expect(outcomes.flatMap((o) => o.problems)).toEqual([]);
  });
}
