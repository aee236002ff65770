/** The power-cut loop simulate --power-cut and the fault tests share (generator/simulate/power-cut.ts), on scripted boots. */
import { cutAndSettle, settle, SETTLE_LIMIT } from "../../generator/simulate/power-cut.js";

/** Boots that make these block writes, in turn (the last repeats). */
function scripted(writes: number[]): { boot: () => Promise<{ writes: number }>; count: () => number } {
  let booted = 0;
  return {
    boot: async () => ({ writes: writes[Math.min(booted++, writes.length - 1)]! }),
    count: () => booted,
  };
}

describe("settle", () => {
  test("stops at the first boot that writes nothing", async () => {
    const device = scripted([5, 2, 0, 7]);
    const run = await settle({ boot: device.boot });
    expect(run).toMatchObject({ settled: true, boots: [{ writes: 5 }, { writes: 2 }, { writes: 0 }] });
    expect(run.problem).toBeUndefined();
    expect(device.count()).toBe(3);
  });

  test("a device still writing after the limit has not settled", async () => {
    const device = scripted([1]);
    const run = await settle({ boot: device.boot, limit: 4 });
    expect(run).toMatchObject({ settled: false, problem: "still writing after 4 boots" });
    expect(run.failedBoot).toBeUndefined();
    expect(device.count()).toBe(4);
    expect((await settle({ boot: scripted([1]).boot })).boots).toHaveLength(SETTLE_LIMIT);
  });

  test("a check's problem ends the loop and names its boot, even on a boot that wrote nothing", async () => {
    const device = scripted([3, 3, 0]);
    const seen: Array<[number, boolean]> = [];
    const run = await settle({
      boot: device.boot,
      check: (_boot, index, settled) => {
        seen.push([index, settled]);
        return index === 2 ? "journal disagrees" : undefined;
      },
    });
    expect(seen).toEqual([[0, false], [1, false], [2, true]]);
    expect(run).toMatchObject({ settled: false, problem: "journal disagrees", failedBoot: 3 });
  });
});

describe("cutAndSettle", () => {
  test("boots nothing when the action ended before its cut", async () => {
    const device = scripted([0]);
    const run = await cutAndSettle(async () => false, { boot: device.boot });
    expect(run).toMatchObject({ powerCut: false, settled: false, boots: [] });
    expect(run.problem).toMatch(/not cut/);
    expect(device.count()).toBe(0);
  });

  test("settles after a cut", async () => {
    const device = scripted([4, 0]);
    const run = await cutAndSettle(async () => true, { boot: device.boot });
    expect(run).toMatchObject({ powerCut: true, settled: true });
    expect(device.count()).toBe(2);
  });
});
