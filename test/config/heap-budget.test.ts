/** The heap budget: the bound from the bench's measured figures, the report line, and GEN_OTA_0305. */
import { budgetReport } from "../../generator/budget.js";
import { toDiagnostic } from "../../generator/config/locate.js";
import { checkTargetRules } from "../../generator/config/rules.js";
import { heapEstimates, lowestFittingFirmware, measuredHeap, NEWEST_ONLY, type MeasuredHeap } from "../../targets/heap.js";
import { targets, type Target } from "../../targets/index.js";
import { configText, evaluateText } from "./helpers.js";

const esp8266 = targets.get("esp8266")!;
/** A board like the ESP8266 with another name and heap budget. */
const board = (name: string, budgetBytes: number): Target => ({ ...esp8266, name, heap: { ...esp8266.heap, budgetBytes } });
const figures = (peak: number, perManifestByte = 1.5) => ({ import: peak - 8000, check: peak - 4000, full: peak, delta: peak - 100, perManifestByte });

/** Measured with a 2,000-byte manifest: .py needs 30,000 B at worst, .mpy 20,000 B. */
const TABLE: MeasuredHeap = {
  about: "test figures",
  manifestBytes: 2000,
  boards: {
    roomy: { py: figures(30_000), mpy: figures(20_000) },
    "mpy-only": { py: figures(30_000), mpy: figures(20_000) },
    cramped: { py: figures(30_000), mpy: figures(20_000) },
  },
};
const BOARDS = new Map<string, Target>([
  ["roomy", board("roomy", 64 * 1024)],
  ["mpy-only", board("mpy-only", 30 * 1024)],
  ["cramped", board("cramped", 20 * 1024)],
  ["unmeasured", board("unmeasured", 1024)],
]);

function rules(body: string) {
  const text = configText(`repo: "octo/lamp", appDir: "/project", ${body}, endpoints: { latest: "http://m/{asset}", release: "http://m/{tag}/{asset}", file: "http://m/{tag}/{path}" }`);
  const { config } = evaluateText(text);
  if (config === undefined) throw new Error("fixture has no config");
  return checkTargetRules(config, BOARDS, TABLE).map((issue) => toDiagnostic(issue, text, "ota.config.ts"));
}

describe("heap bound", () => {
  it("is the worst measured operation, grown for the board's largest manifest, plus one chunk", () => {
    // 30,000 + 1.5 * (4,096 - 2,000) + 512 for .py; the same from 20,000 for .mpy
    expect(heapEstimates(BOARDS.get("roomy")!, TABLE)).toEqual([
      { form: "py", peak: 30_000, bound: 33_656 },
      { form: "mpy", peak: 20_000, bound: 23_656 },
    ]);
  });

  it("grows the full update from the larger app's manifest, where the bench measured it, and counts the signature check", () => {
    // full: the worse of 30,000 and 31,500, grown from 3,800 bytes: 31,500 + 1.5 * 296 + 512
    const larger: MeasuredHeap = { ...TABLE, largerManifestBytes: 3800, boards: { roomy: { py: { ...figures(30_000), delta: 27_000, fullLarger: 31_500 } } } };
    expect(heapEstimates(BOARDS.get("roomy")!, larger)).toEqual([{ form: "py", peak: 30_000, bound: 32_456 }]);
    // a smaller app's full update that needed more still counts, from the larger manifest
    const chaotic: MeasuredHeap = { ...larger, boards: { roomy: { py: { ...figures(30_000), delta: 27_000, fullLarger: 29_000 } } } };
    expect(heapEstimates(BOARDS.get("roomy")!, chaotic)).toEqual([{ form: "py", peak: 30_000, bound: 30_956 }]);
    // the other operations were measured with the small app alone, so they grow from its manifest
    const delta: MeasuredHeap = { ...larger, boards: { roomy: { py: { ...figures(30_000), delta: 30_500, fullLarger: 29_000 } } } };
    expect(heapEstimates(BOARDS.get("roomy")!, delta)).toEqual([{ form: "py", peak: 30_500, bound: 34_156 }]);
    // the update up to its signature check is one of the operations
    const verify: MeasuredHeap = { ...TABLE, boards: { roomy: { py: { ...figures(30_000), verify: 32_000 } } } };
    expect(heapEstimates(BOARDS.get("roomy")!, verify)).toEqual([{ form: "py", peak: 32_000, bound: 35_656 }]);
  });

  it("takes the worst of every firmware measured: a board may run its oldest", () => {
    const table: MeasuredHeap = { ...TABLE, firmware: "1.25.0", olderFirmware: { roomy: { "1.13.0": { py: { check: 25_000, full: 31_000, delta: 29_000 }, mpy: { check: 15_000, full: 19_000, delta: 19_500 } } } } };
    expect(heapEstimates(BOARDS.get("roomy")!, table)).toEqual([
      { form: "py", peak: 31_000, bound: 34_656, firmware: "1.13.0" },
      { form: "mpy", peak: 20_000, bound: 23_656, firmware: "1.25.0" },
    ]);
    // boards that run 1.19 or later (minFirmware) are not judged on 1.13; the newest is always in
    expect(heapEstimates(BOARDS.get("roomy")!, table, "1.19").map((estimate) => estimate.peak)).toEqual([30_000, 20_000]);
    expect(heapEstimates(BOARDS.get("roomy")!, table, "1.13").map((estimate) => estimate.peak)).toEqual([31_000, 20_000]);
    expect(heapEstimates(BOARDS.get("roomy")!, table, "1.30").map((estimate) => estimate.peak)).toEqual([30_000, 20_000]);
    expect(heapEstimates(BOARDS.get("roomy")!, table, NEWEST_ONLY).map((estimate) => estimate.peak)).toEqual([30_000, 20_000]);
  });

  it("reports a board over its budget only on its oldest firmware, and what fits on the newest", () => {
    const table: MeasuredHeap = { ...TABLE, firmware: "1.25.0", olderFirmware: { "mpy-only": { "1.13.0": { mpy: { check: 15_000, full: 31_000, delta: 29_000 } } } } };
    const report = budgetReport(BOARDS.get("mpy-only")!, [], { heap: table });
    expect(report).toContain("30.3 KB (.mpy on 1.13.0)");
    expect(report).toContain("it does not fit on 1.13.0; on 1.25.0, the .mpy output does (bounded 23.1 KB)");
    expect(budgetReport(BOARDS.get("mpy-only")!, [], { heap: { ...table, olderFirmware: {} } })).toContain("; use the .mpy output");
  });

  it("leaves out .mpy on a board that cannot import it, and boards the bench did not measure", () => {
    const noMpy = { ...BOARDS.get("roomy")!, mpy: null };
    expect(heapEstimates(noMpy, TABLE).map((estimate) => estimate.form)).toEqual(["py"]);
    expect(heapEstimates(BOARDS.get("unmeasured")!, TABLE)).toEqual([]);
  });
});

describe("GEN_OTA_0305", () => {
  it("refuses a board on which no output form fits, at its entry in boards", () => {
    const diagnostics = rules('boards: ["roomy", "cramped"]');
    expect(diagnostics.map((d) => [d.code, d.severity, d.location?.line, d.location?.column])).toEqual([["GEN_OTA_0305", "error", 3, 58]]); // the "cramped" string
    expect(diagnostics[0]!.message).toBe("board 'cramped': the updater needs up to 32.9 KB as .py, 23.1 KB as .mpy, over its 20.0 KB heap budget");
    expect(diagnostics[0]!.hint).toMatch(/npm run bench \(targets\/measured-heap\.json\)/);
  });

  it("accepts a board on which one form fits, and a board with no figures", () => {
    expect(rules('boards: ["mpy-only", "unmeasured"]')).toEqual([]);
  });

  it("finds every measured real board within its budget on the newest firmware and on its oldest", () => {
    const fitsFrom = (name: string, from?: string): boolean => {
      const target = targets.get(name)!;
      return heapEstimates(target, measuredHeap(), from).some((estimate) => estimate.bound <= target.heap.budgetBytes);
    };
    for (const name of Object.keys(measuredHeap().boards)) expect([name, fitsFrom(name, NEWEST_ONLY)]).toEqual([name, true]);
    // and by default, on each board's oldest firmware too: no board needs minFirmware
    expect(Object.keys(measuredHeap().boards).filter((name) => !fitsFrom(name))).toEqual([]);
  });

  it("judges from the config's minFirmware, and says how to give it when newer firmware fits", () => {
    const table: MeasuredHeap = { ...TABLE, firmware: "1.25.0", olderFirmware: { "mpy-only": { "1.13.0": { mpy: { check: 15_000, full: 31_000, delta: 29_000 } } } } };
    const diagnostics = (body: string) => {
      const text = configText(`repo: "octo/lamp", appDir: "/project", ${body}, endpoints: { latest: "http://m/{asset}", release: "http://m/{tag}/{asset}", file: "http://m/{tag}/{path}" }`);
      return checkTargetRules(evaluateText(text).config!, BOARDS, table).map((issue) => toDiagnostic(issue, text, "ota.config.ts"));
    };
    const [oldest] = diagnostics('boards: ["mpy-only"]');
    expect(oldest?.message).toBe("board 'mpy-only': the updater needs up to 32.9 KB as .py on 1.25.0, 33.8 KB as .mpy on 1.13.0, over its 30.0 KB heap budget");
    expect(oldest?.hint).toBe('from 1.25.0 the .mpy output fits (bounded 23.1 KB): if every mpy-only you update runs 1.25.0 or later, say so with minFirmware: "1.25.0"');
    // a firmware measured between the oldest and the newest, on which it fits, is what the hint offers
    const middle: MeasuredHeap = { ...table, olderFirmware: { "mpy-only": { ...table.olderFirmware!["mpy-only"], "1.19.1": { mpy: { check: 15_000, full: 21_000, delta: 20_000 } } } } };
    expect(lowestFittingFirmware(BOARDS.get("mpy-only")!, middle)).toBe("1.19.1");
    expect(lowestFittingFirmware(BOARDS.get("mpy-only")!, table)).toBe("1.25.0");
    expect(lowestFittingFirmware(BOARDS.get("roomy")!, table)).toBeUndefined(); // fits everywhere: nothing to say
    expect(lowestFittingFirmware(BOARDS.get("cramped")!, table)).toBeUndefined(); // fits nowhere
    expect(diagnostics('boards: ["mpy-only"], minFirmware: "1.14"')).toEqual([]);
  });
});

describe("budget report", () => {
  it("prints the measured peak and the bound against the budget, or that the board was not measured", () => {
    const report = budgetReport(esp8266, [{ path: "ota.py", contents: "x" }], { tls: true });
    expect(report).toMatch(/\n {2}peak heap measured [\d.]+ KB \(\.py( on [\d.]+)?\), [\d.]+ KB \(\.mpy( on [\d.]+)?\) of 38\.0 KB with a [\d.]+ KB manifest; bounded .* for a 4\.0 KB one.*; TLS handshake not included\n/);
    expect(budgetReport(targets.get("unix")!, [])).toMatch(/peak heap: not measured for unix/);
  });

  it("names the .mpy ABIs the fleet's boards load: ABI 6 alone once minFirmware is 1.19 or later", () => {
    expect(budgetReport(esp8266, [])).toContain("mpy ABI 5 or 6");
    expect(budgetReport(esp8266, [], { minFirmware: "1.18" })).toContain("mpy ABI 5 or 6");
    expect(budgetReport(esp8266, [], { minFirmware: "1.19" }).split("\n")[0]).toMatch(/mpy ABI 6$/);
  });
});
