import { parseVersion } from "../../generator/config/version.js";

describe("parseVersion", () => {
  it("reads latest and pins", () => {
    expect(parseVersion("latest")).toEqual({ ok: true, policy: { kind: "latest" } });
    expect(parseVersion("1.4.2")).toEqual({ ok: true, policy: { kind: "pin", version: "1.4.2" } });
    expect(parseVersion("v1.4.2")).toEqual({ ok: true, policy: { kind: "pin", version: "1.4.2" } });
    expect(parseVersion("=1.4.2")).toEqual({ ok: true, policy: { kind: "pin", version: "1.4.2" } });
  });

  it.each([
    ["^1.4", "1.4.0", "2.0.0"],
    ["~1.4.2", "1.4.2", "1.5.0"],
    [">=1.2 <2", "1.2.0", "2.0.0"],
    ["1.x", "1.0.0", "2.0.0"],
    ["1.4", "1.4.0", "1.5.0"],
    ["^0.2.3", "0.2.3", "0.3.0"],
    ["1.2.3 - 2.3", "1.2.3", "2.4.0"],
    [">=1.2.3", "1.2.3", null],
    ["<2", "0.0.0", "2.0.0"],
    ["*", "0.0.0", null],
    [">=1.0.0 >=1.2.0 <3.0.0 <2.5.0", "1.2.0", "2.5.0"],
  ])("compiles %s to [%s, %s)", (range, min, max) => {
    expect(parseVersion(range)).toEqual({ ok: true, policy: { kind: "range", range, min, max } });
  });

  it.each([
    ["^1.4 || ^2.0", "alternatives"],
    [">1.2.3", "neither >= nor <"],
    ["<=1.4.2", "neither >= nor <"],
    ["^1.4.0-beta", "pre-release"],
    [">=2 <1", "matches no version"],
  ])("refuses %s (%s) with GEN_OTA_0207", (range, reason) => {
    const parsed = parseVersion(range);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.code).toBe("GEN_OTA_0207");
      expect(parsed.message).toContain(reason);
    }
  });

  it.each(["v1.2", "=1.2", "V2", "v1.x"])("refuses %j, a partial version after a tag's prefix, instead of guessing a range or a pin", (text) => {
    const parsed = parseVersion(text);
    expect(parsed).toMatchObject({ ok: false, code: "GEN_OTA_0206", message: expect.stringContaining("tagPrefix adds the tag's prefix") });
    if (text === "v1.2") expect(parsed).toMatchObject({ hint: 'write "1.2.0" to pin it, or "~1.2" for any 1.2.x' });
  });

  it.each(["newest", "", "1.2.3.4", "^banana"])("refuses %j with GEN_OTA_0206", (text) => {
    expect(parseVersion(text)).toMatchObject({ ok: false, code: "GEN_OTA_0206" });
  });
});
