/** The firmware matrix's runtimes: bad input names the variable and what was found. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { targets } from "../../targets/index.js";
import { findMicropython } from "./micropython.js";
import { FIRMWARES, findRuntime, oldestFirmware, type Firmware } from "./firmware.js";

/** A firmware entry of its own, so that the lookups here are not the cached ones of FIRMWARES. */
const probe = (variable: string, version = "1.13.0"): Firmware => ({ version, variable, abi: 5 });

describe("firmware runtimes", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gen-ota-firmware-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("each board's oldest firmware is a column of the matrix", () => {
    expect(oldestFirmware(targets.get("esp8266")!).version).toBe("1.13.0");
    expect(oldestFirmware(targets.get("esp32")!).version).toBe("1.19.1");
    expect(oldestFirmware(targets.get("rp2-pico-w")!).version).toBe("1.20.0");
    expect(FIRMWARES.map((f) => f.variable).filter(Boolean)).toEqual(["GEN_OTA_MICROPYTHON_1_13", "GEN_OTA_MICROPYTHON_1_19", "GEN_OTA_MICROPYTHON_1_20"]);
  });

  test("an unset variable is a skip with the variable named, not an error", () => {
    const variable = "GEN_OTA_TEST_UNSET_RUNTIME";
    delete process.env[variable];
    expect(findRuntime(probe(variable))).toEqual({ ok: false, given: false, reason: expect.stringContaining(`${variable} is not set`) });
  });

  test("a missing path, a file that is not executable, and another version are errors naming the variable", async () => {
    const variable = "GEN_OTA_TEST_BAD_RUNTIME";
    process.env[variable] = join(dir, "nowhere");
    expect(findRuntime(probe(variable, "1.13.1"))).toEqual({ ok: false, given: true, reason: `${variable}=${join(dir, "nowhere")} does not exist or is not executable` });
    const plain = join(dir, "plain");
    await writeFile(plain, "not a program", { mode: 0o644 });
    process.env[variable] = plain;
    expect(findRuntime(probe(variable, "1.13.2"))).toMatchObject({ ok: false, given: true, reason: expect.stringContaining("not executable") });
    process.env[variable] = findMicropython(); // the 1.25 build, claimed to be 1.13.3
    expect(findRuntime(probe(variable, "1.13.3"))).toEqual({ ok: false, given: true, reason: `${variable}=${findMicropython()} is MicroPython 1.25.0, not 1.13.3` });
    delete process.env[variable];
  });
});
