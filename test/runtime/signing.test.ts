/**
 * Signed releases on real MicroPython (unix port, 32-bit), each board at its heap budget on its
 * own filesystem, .py and .mpy: whatever is wrong with a release's signature, its sequence or its
 * key, nothing is staged, the running app is untouched, one line says why, and ota.update()
 * returns None. Each case starts from a copy of one device that already runs 1.0.0.
 */
import { generateKeyPairSync } from "node:crypto";
import { publicKeyBase64 } from "../../generator/keys.js";
import { targets } from "../../targets/index.js";
import { releaseAssets, TEST_PUBLIC_KEY, TEST_SIGNING_KEY, type Release } from "./assets.js";
import { describe as describeRun, type Device } from "./device.js";
import { startGithubServer, type GithubServer } from "./server.js";
import { testHeap } from "./over-budget.js";
import { appRelease, flashDevice, testConfig, type Variant } from "./updater.js";

const BOARDS = ["esp8266", "esp32", "rp2-pico-w"];
const VARIANTS: Variant[] = ["py", "mpy"];
/** Heap for installing the starting version: setting up is not what these tests measure. */
const SETUP_HEAP = 96 * 1024;

const v1 = appRelease("1.0.0");
const v11 = appRelease("1.1.0", { extra: { "main.py": v1.files["main.py"]!.replace("1.0.0", "1.1.0") } });
const otherKey = generateKeyPairSync("ed25519").privateKey;
const OTHER_PUBLIC = publicKeyBase64(otherKey);

/** The app files (path → content), whether /next exists, and the trust record's slots (path → content). */
async function state(device: Device): Promise<{ app: string[]; staged: boolean; trust: string[] }> {
  const listing = await device.ls();
  const paths = Object.keys(listing);
  return {
    app: paths.filter((path) => path.startsWith("/project/")).map((path) => `${path} ${listing[path]!.sha256}`).sort(),
    staged: paths.some((path) => path.startsWith("/next")),
    trust: paths.filter((path) => path.startsWith("/ota_trust")).map((path) => `${path} ${listing[path]!.sha256}`).sort(),
  };
}

/** Runs ota.update() at the board's heap: its output lines (without harness lines) and its return value. */
async function update(device: Device): Promise<{ lines: string[]; returned: string }> {
  const result = await device.run("import ota\nprint('RETURNED', ota.update())");
  if (result.exception || result.code !== 0) throw new Error(`update crashed:\n${describeRun(result)}`);
  const returned = result.output.find((line) => line.startsWith("RETURNED ")) ?? "";
  return { lines: result.output.filter((line) => !line.startsWith("RETURNED ")), returned: returned.slice("RETURNED ".length) };
}

describe.each(BOARDS)("%s", (boardName) => {
  const board = targets.get(boardName)!;
  describe.each(VARIANTS)("%s output", (variant) => {
    let server: GithubServer;
    let installed: Device;
    let before: Awaited<ReturnType<typeof state>>;

    beforeAll(async () => {
      server = await startGithubServer({ releases: [v1] });
      installed = await flashDevice(testConfig(board, server, { update: "manual" }), boardName, variant, testHeap({ board: boardName, variant }));
      const staged = await installed.run("import ota\nprint('STAGED', ota.update())\nota.boot()\nota.confirm()", { heapBytes: SETUP_HEAP });
      if (!staged.output.includes("STAGED 1.0.0")) throw new Error(`setup failed:\n${describeRun(staged)}`);
      before = await state(installed);
      expect(before.app.length).toBeGreaterThan(0);
    });
    afterAll(async () => {
      await installed.dispose();
      await server.close();
    });

    /** Publishes `release`, runs ota.update() on a copy of the device, and checks the refusal. */
    async function refused(release: Release, line: RegExp, prepare?: (device: Device) => Promise<void>): Promise<void> {
      const device = await installed.copy();
      try {
        if (prepare) await prepare(device);
        server.publish(release);
        const start = await state(device);
        const { lines, returned } = await update(device);
        expect(returned).toBe("None");
        const reasons = lines.filter((text) => /update (refused|failed)/.test(text));
        expect(reasons).toHaveLength(1); // one clear line (staging logs each file it did before)
        expect(reasons[0]).toMatch(line);
        const after = await state(device);
        expect(after.staged).toBe(false);
        expect(after.app).toEqual(start.app);
        expect(after.trust).toEqual(start.trust); // the sequence and keys move on only for a staged release
      } finally {
        server.clearFaults();
        await device.dispose();
      }
    }

    test("a tampered manifest is refused: bad signature", async () => {
      const genuine = releaseAssets(v11);
      const tampered = genuine["ota-manifest.json"]!.toString().replace(/"sha256":"(.)/, (_, c: string) => `"sha256":"${c === "0" ? "1" : "0"}`);
      expect(tampered).not.toBe(genuine["ota-manifest.json"]!.toString());
      server.setFault({ kind: "body", body: tampered, match: (request) => request.path.startsWith("/dl/") && request.path.includes("/ota-manifest.json") });
      await refused(v11, /^ota: update refused: bad signature$/);
    });

    test("a tampered file is refused: its sha256 is not the signed manifest's", async () => {
      server.setFault({ kind: "body", body: "print('tampered')\n", match: (request) => request.path.endsWith("/main.py") });
      await refused(v11, /^ota: update failed: main\.py: .*; staging removed$/);
    });

    test("a signed release the manifest checks refuse leaves the sequence and keys as they were", async () => {
      const reserved: Release = { ...v11, files: { ...v11.files, "ota_fetch.py": "print('mine')\n" }, signing: { sequence: 2_000_000, keys: [OTHER_PUBLIC] } };
      await refused(reserved, /^ota: update failed: path reserved for the updater: 'ota_fetch\.py'$/);
    });

    test("a release signed by a key the device does not trust is refused", async () => {
      await refused({ ...v11, signing: { signers: [otherKey] } }, /^ota: update refused: signed by no trusted key$/);
    });

    test("a release without a signature is refused (signing.allowUnsigned is not set)", async () => {
      await refused({ ...v11, signing: { signers: [], sequence: 2_000_000 } }, /^ota: update refused: release not signed \(no ota-manifest\.sig\)$/);
    });

    test("a signed release older than the last one seen (lower sequence) is refused", async () => {
      await refused({ ...v11, signing: { sequence: 999_999 } }, /^ota: update refused: sequence 999999 is below 1000000: an older release replayed$/);
    });

    test("after a key rotation, a release signed only by the old key is refused", async () => {
      const rotation: Release = { ...v11, version: "1.1.0", signing: { keys: [OTHER_PUBLIC] } };
      const later: Release = { ...appRelease("1.2.0"), signing: { signers: [TEST_SIGNING_KEY] } };
      await refused(later, /^ota: update refused: signed by no trusted key$/, async (device) => {
        server.publish(rotation);
        const rotated = await device.run("import ota\nprint('STAGED', ota.update())", { heapBytes: SETUP_HEAP });
        expect(rotated.output).toContain("ota: keys rotated: 1 trusted from now on");
        expect(rotated.output).toContain("STAGED 1.1.0");
        await device.run("import ota\nota.boot()\nota.confirm()", { heapBytes: SETUP_HEAP });
        expect(TEST_PUBLIC_KEY).not.toBe(OTHER_PUBLIC);
      });
    });
  });
});

describe("signing.allowUnsigned with keys (esp32, .py)", () => {
  test("an unsigned release is accepted and says so; a badly signed one is still refused", async () => {
    const server = await startGithubServer({ releases: [{ ...v1, signing: { signers: [], sequence: 1 } }] });
    const board = targets.get("esp32")!;
    const config = testConfig(board, server, { update: "manual", signing: { publicKeys: [TEST_PUBLIC_KEY], allowUnsigned: true } });
    const device = await flashDevice(config, "esp32", "py");
    try {
      const accepted = await update(device);
      expect(accepted.lines).toContain("ota: release not signed; accepted (signing.allowUnsigned)");
      expect(accepted.returned).toBe("1.0.0");
      server.publish({ ...v11, signing: { signers: [otherKey] } });
      const refusedRun = await update(device);
      expect(refusedRun.lines).toEqual(["ota: update refused: signed by no trusted key"]);
      expect(refusedRun.returned).toBe("None");
    } finally {
      await device.dispose();
      await server.close();
    }
  });
});
