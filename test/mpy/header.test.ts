import { readMpyHeader } from "../../generator/mpy/header.js";

describe("readMpyHeader", () => {
  test("decodes a v5 header: flags in the low bits, arch above", () => {
    const header = readMpyHeader(Uint8Array.from([0x4d, 5, (9 << 2) | 0b11, 31, 0]));
    expect(header.ok && header.value).toEqual({ version: 5, flags: 3, subVersion: null, arch: "xtensa", archCode: 9, smallIntBits: 31 });
  });

  test("decodes a v6 header: sub-version in the low bits", () => {
    const header = readMpyHeader(Uint8Array.from([0x4d, 6, (6 << 2) | 3, 31]));
    expect(header.ok && header.value).toEqual({ version: 6, flags: 3, subVersion: 3, arch: "armv7em", archCode: 6, smallIntBits: 31 });
  });

  test("keeps an arch code newer than its table", () => {
    const header = readMpyHeader(Uint8Array.from([0x4d, 6, 40 << 2, 31]));
    expect(header.ok && header.value).toMatchObject({ arch: null, archCode: 40 });
  });

  test.each([[[]], [[0x4d, 6, 0]], [[0x50, 6, 0, 31]]])("refuses %j", (bytes) => {
    const header = readMpyHeader(Uint8Array.from(bytes));
    expect(!header.ok && header.diagnostics[0]?.code).toBe("GEN_OTA_0604");
  });
});
