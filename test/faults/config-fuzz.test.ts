/**
 * Bad configs and bad command lines. The config loader gets every field of a full config with
 * values of every wrong type, the valid fixtures truncated at many points, and seeded random
 * edits of them; the CLI gets a fixed sample of those files (every one under npm run reliability)
 * and a table of broken argument lists.
 * Every answer must be a config or GEN_OTA diagnostics located in the file (never a throw, a
 * stack trace or an unlocated error); the CLI exits 0, 1 or 2 only.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../generator/cli.js";
import { loadConfigFromText } from "../../generator/config/load.js";
import { diagnosticCodes } from "../../generator/diagnostic-codes.js";
import { formatDiagnostic, type Diagnostic } from "../../generator/diagnostics.js";
import { record, RELIABILITY_RUN, secondsSince } from "./common.js";

const FILE = "ota.config.ts";
/** Every fuzzed config through the CLI too under npm run reliability; npm test runs a fixed sample of them. */
const CLI_FUZZ_FULL = RELIABILITY_RUN;
const FIXTURES = "test/fixtures/config/valid";
const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith(".ts")).sort().map((name) => readFileSync(join(FIXTURES, name), "utf8"));
const FULL = readFileSync(join(FIXTURES, "full.ts"), "utf8");

/** mulberry32: a small seeded generator, so every run tries the same inputs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values of every type a field might wrongly get, as TypeScript source. */
const WRONG_VALUES = [
  "42", "-1", "0.5", "1e999", "NaN", "-Infinity", "123n", "true", "null", "undefined", "void 0",
  '""', '"x"', '"\\u0000\\uffff"', '"a".repeat(100000)', "`t${1}`", "[]", '[1, "a", null]', "{}",
  "{ nested: { deep: [1] } }", 'secret("X")', "secret(42)", "secret()", '() => "x"', "process.env.HOME",
  "new Date()", 'Symbol("s")', "/re/g", "this", "...[]",
];

/** Every field of full.ts, with the text of its value there (a unique match in the file). */
const FIELDS: Array<[field: string, valueText: string]> = [
  ["repo", '"octo/lamp"'],
  ["appDir", '"/apps/lamp"'],
  ["boards", '["esp8266", "esp32", "rp2-pico-w"]'],
  ["boards[0]", '"esp8266", "esp32"'],
  ["version", '"~1.4.2"'],
  ["entry", '"lamp.main"'],
  ["wifi", '{ ssid: "workshop", password: secret("WIFI_PASS") }'],
  ["wifi.ssid", '"workshop"'],
  ["wifi.password", 'secret("WIFI_PASS")'],
  ["token", 'secret("GITHUB_TOKEN")'],
  ["endpoints", "{\n    latest:"],
  ["endpoints.latest", '"http://mirror.local/{repo}/latest/{asset}"'],
  ["endpoints.release", '"http://mirror.local/{repo}/{tag}/{asset}"'],
  ["endpoints.file", '"http://mirror.local/{repo}/{tag}/{dir}/{path}"'],
  ["tagPrefix", '"release-"'],
  ["trialBoots", " 5,"], // a space and a comma: a signing key and trialSeconds hold a 5 too
  ["update", '"manual"'],
  ["timeoutSeconds", "30"],
  ["secretsFile", '"/etc/secrets.json"'],
  ["embedSecrets", '["WIFI_PASS"]'],
  ["the whole config", "defineConfig({"],
];

/** full.ts with one field's value replaced. */
function withValue(field: string, valueText: string, value: string): string {
  if (FULL.split(valueText).length !== 2) throw new Error(`${field}: ${valueText} is not unique in full.ts`);
  if (field === "endpoints") {
    // the whole object: from its brace to the closing one
    const start = FULL.indexOf("endpoints: {") + "endpoints: ".length;
    const end = FULL.indexOf("},", start) + 1;
    return FULL.slice(0, start) + value + FULL.slice(end);
  }
  if (field === "boards[0]") return FULL.replace(valueText, `${value}, "esp32"`);
  if (valueText.endsWith(",")) return FULL.replace(valueText, ` ${value},`);
  if (field === "the whole config") return FULL.replace(/defineConfig\(\{[\s\S]*\}\);/, `defineConfig(${value});`);
  return FULL.replace(valueText, value);
}

/** Loads text; what is wrong with the answer ([] for a config or located GEN_OTA diagnostics), and whether it was a config. */
function checkLoad(text: string): { accepted: boolean; problems: string[] } {
  let result: ReturnType<typeof loadConfigFromText>;
  try {
    result = loadConfigFromText(text, FILE, { env: { WIFI_PASS: "p", GITHUB_TOKEN: "t" }, cwd: tmpdir() });
  } catch (error) {
    return { accepted: false, problems: [`threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`] };
  }
  const diagnostics: Diagnostic[] = result.ok ? result.warnings : result.diagnostics;
  const problems: string[] = [];
  if (!result.ok && !diagnostics.some((d) => d.severity === "error")) problems.push("refused without an error");
  const lines = text.split("\n").length;
  for (const d of diagnostics) {
    const where = `${d.code} ${d.message}`;
    if (!(d.code in diagnosticCodes)) problems.push(`code not in the catalogue: ${where}`);
    if (!d.message || /\n\s+at /.test(d.message) || /\n\s+at /.test(d.hint ?? "")) problems.push(`stack trace or empty message: ${where}`);
    if (!d.location) problems.push(`not located: ${where}`);
    else if (d.location.file !== FILE || d.location.line < 1 || d.location.line > lines || d.location.column < 1) problems.push(`located outside the file: ${where} at ${JSON.stringify(d.location)}`);
    try {
      formatDiagnostic(d);
    } catch (error) {
      problems.push(`cannot be formatted: ${where}: ${String(error)}`);
    }
  }
  return { accepted: result.ok, problems };
}

interface Tally {
  tried: number;
  refused: number;
  accepted: number;
  broken: string[];
}

function tallyLoads(inputs: Array<{ label: string; text: string }>): Tally {
  const tally: Tally = { tried: 0, refused: 0, accepted: 0, broken: [] };
  for (const { label, text } of inputs) {
    tally.tried++;
    const { accepted, problems } = checkLoad(text);
    if (problems.length > 0) tally.broken.push(`${label}:\n${problems.join("\n")}\n--- input\n${text.slice(0, 2000)}`);
    else if (accepted) tally.accepted++;
    else tally.refused++;
  }
  return tally;
}

function recordTally(scenario: string, order: number, tally: Tally, started: number, note: string): void {
  record({ suite: "config", scenario, order, board: "-", tried: tally.tried, old: tally.refused, new: tally.accepted, broken: tally.broken.length, seconds: secondsSince(started), note });
}

/** Wrong types: every field, every value. */
export function wrongTypeInputs(): Array<{ label: string; text: string }> {
  return FIELDS.flatMap(([field, valueText]) => WRONG_VALUES.map((value) => ({ label: `${field} = ${value}`, text: withValue(field, valueText, value) })));
}

/** Each valid fixture cut at 40 points spread over its length. */
export function truncatedInputs(): Array<{ label: string; text: string }> {
  return fixtures.flatMap((text, f) => Array.from({ length: 40 }, (_, i) => {
    const at = Math.floor((text.length * i) / 40);
    return { label: `fixture ${f} cut at ${at}`, text: text.slice(0, at) };
  }));
}

const TOKENS = ["{", "}", "[", "]", "(", ")", ",", ":", ";", '"', "'", "`", "${", "\n", "//", "/*", "*/", "=>", "...", "export default", "as const", "satisfies", "defineConfig", "secret", "import", "0x", "\\", "\u00e9", "\ud83d"];

/** 300 seeded random edits of the fixtures: deletions, duplications and stray tokens. */
export function randomEditInputs(seed = 20240501, count = 300): Array<{ label: string; text: string }> {
  const next = random(seed);
  const pick = (n: number): number => Math.floor(next() * n);
  return Array.from({ length: count }, (_, i) => {
    let text = fixtures[pick(fixtures.length)]!;
    for (let edit = 1 + pick(3); edit > 0; edit--) {
      const at = pick(text.length + 1);
      const kind = pick(3);
      if (kind === 0) text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + pick(20)));
      else if (kind === 1) text = text.slice(0, at) + text.slice(at, at + 1 + pick(40)) + text.slice(at);
      else text = text.slice(0, at) + TOKENS[pick(TOKENS.length)]! + text.slice(at);
    }
    return { label: `random edit ${i} (seed ${seed})`, text };
  });
}

/** Argument lists a user may type wrong, for the CLI. */
const ARGV_TABLE: string[][] = [
  [], ["--bord", "esp8266"], ["--board"], ["--board", ""], ["--board", "esp82666"], ["--board", "esp8266", "--board", "esp8266"],
  ["--config"], ["--config", "missing.ts"], ["--config", "."], ["--config", "/dev/null"], ["--out"], ["--out", ""],
  ["--mpy", "--check", "--mpy"], ["--check", "--out", "/proc/nope"], ["--help", "--bogus"], ["--version", "extra"],
  ["-x"], ["--"], ["--board=esp32"], ["release"], ["release", "--dir"], ["release", "--dir", "nowhere", "--version", "1.0.0"],
  ["release", "--dir", ".", "--version", "v1.0"], ["release", "--version", "not-semver"], ["mpy-cross"], ["mpy-cross", "--abi", "7", "x.py"],
  ["mpy-cross", "-march=nope", "x.py"], ["mpy-cross", "missing.py"], ["simulate", "--bogus"], ["\u0000"], ["--board", "esp8266\u0000"],
];

async function cli(argv: string[], cwd: string): Promise<{ code: number; out: string }> {
  let out = "";
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t), cwd, env: {} };
  try {
    return { code: await runCli(argv, io), out };
  } catch (error) {
    return { code: -1, out: `${out}\nthrew ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` };
  }
}

function cliProblem(label: string, result: { code: number; out: string }): string | undefined {
  if (![0, 1, 2].includes(result.code) || /internal error|\n\s+at \S+ \(/.test(result.out)) return `${label}: exit ${result.code}\n${result.out.slice(0, 2000)}`;
  return undefined;
}

describe("config fuzz", () => {
  test.each([
    ["a wrong type in every field", wrongTypeInputs, "each field of a full config set to each of 30 wrongly typed values"],
    ["truncated configs", truncatedInputs, "each valid fixture cut at 40 points"],
    ["random edits", () => randomEditInputs(), "300 seeded random deletions, duplications and stray tokens"],
  ] as const)("%s: a config or located GEN_OTA diagnostics, never a throw", (scenario, inputs, note) => {
    const started = Date.now();
    const tally = tallyLoads(inputs());
    recordTally(scenario, ["a wrong type in every field", "truncated configs", "random edits"].indexOf(scenario), tally, started, note);
    expect(tally.broken.slice(0, 3)).toEqual([]);
    expect(tally.refused).toBeGreaterThan(0);
  });

  test("the CLI exits 0, 1 or 2 on fuzzed configs and broken argument lists", async () => {
    const started = Date.now();
    const work = mkdtempSync(join(tmpdir(), "gen-ota-fuzz-"));
    const problems: string[] = [];
    let tried = 0;
    let refused = 0;
    try {
      const sample = CLI_FUZZ_FULL
        ? [...wrongTypeInputs(), ...truncatedInputs(), ...randomEditInputs()]
        : [...wrongTypeInputs().filter((_, i) => i % 10 === 0), ...truncatedInputs().filter((_, i) => i % 8 === 0), ...randomEditInputs().slice(0, 30)];
      for (const [i, input] of sample.entries()) {
        writeFileSync(join(work, FILE), input.text);
        const result = await cli(["--config", FILE, "--out", `out-${i}`], work);
        tried++;
        if (result.code !== 0) refused++;
        const problem = cliProblem(input.label, result);
        if (problem) problems.push(problem);
      }
      for (const argv of ARGV_TABLE) {
        const result = await cli(argv, work);
        tried++;
        if (result.code !== 0) refused++;
        const problem = cliProblem(JSON.stringify(argv), result);
        if (problem) problems.push(problem);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    record({ suite: "config", scenario: "CLI", order: 3, board: "-", tried, old: refused, new: tried - refused - problems.length, broken: problems.length, seconds: secondsSince(started), note: `${CLI_FUZZ_FULL ? "every" : "a fixed sample of the"} fuzzed config${CLI_FUZZ_FULL ? "" : "s"} through \`gen-ota --config\`, and ${ARGV_TABLE.length} broken argument lists; exit codes 0/1/2 only` });
    expect(problems.slice(0, 3)).toEqual([]);
  });
});
