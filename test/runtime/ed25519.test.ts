/**
 * The device's Ed25519 verifier (ota_sha512 + ota_ed25519, as generated for ESP8266) on real
 * MicroPython at ESP8266's 38 KB heap: RFC 8032's vectors, SHA-512("abc"), and agreement with
 * Node's crypto.verify on a few hundred random keys and messages, a third of them tampered. All
 * verifies run in one process. The same runs on each board's oldest firmware (1.13,
 * 1.19.1, 1.20.0: the 32-bit unix ports that GEN_OTA_MICROPYTHON_1_13, _1_19 and _1_20 name).
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "../../generator/simulate/process.js";
import { generateBoard } from "../../generator/generate.js";
import { publicKeyBase64 } from "../../generator/keys.js";
import { targets } from "../../targets/index.js";
import { RFC8032_VECTORS } from "./ed25519-vectors.js";
import { CURRENT_FIRMWARE, FIRMWARES, runtimeOrSkip } from "./firmware.js";
import { findMicropython } from "./micropython.js";
import { startGithubServer } from "./server.js";
import { testConfig } from "./updater.js";

const HEAP = 38 * 1024;

/** Runs the verifier over "pub msg sig expected" hex lines; prints one RESULT line per mismatch and a summary. */
const DRIVER = `
import gc
import ubinascii as binascii
import ota_sha512, ota_ed25519
u = binascii.unhexlify
assert binascii.hexlify(ota_sha512.sha512(b"abc")) == b"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
checked = wrong = 0
with open("vectors.txt") as f:
    for line in f:
        pub, msg, sig, expected = line.split()
        pub, msg, sig = u(pub), u(msg if msg != "-" else ""), u(sig)
        got = ota_ed25519.verify(pub, sig, ota_sha512.sha512(sig[:32] + pub + msg))
        checked += 1
        if got != (expected == "1"):
            wrong += 1
            print("MISMATCH", checked, got)
        gc.collect()
print("CHECKED", checked, "WRONG", wrong)
`;

const hex = (data: Buffer | Uint8Array) => Buffer.from(data).toString("hex");

/** The verifier modules, the driver and the vector lines in a new directory. */
async function prepare(lines: string[]): Promise<string> {
  const server = await startGithubServer({ releases: [] });
  const board = targets.get("esp8266")!;
  const files = generateBoard(testConfig(board, server), board);
  await server.close();
  const dir = await mkdtemp(join(tmpdir(), "gen-ota-ed25519-"));
  for (const file of files.filter((f) => f.name === "ota_sha512.py" || f.name === "ota_ed25519.py")) {
    await writeFile(join(dir, file.name), file.contents);
  }
  await writeFile(join(dir, "driver.py"), DRIVER);
  await writeFile(join(dir, "vectors.txt"), lines.join("\n") + "\n");
  return dir;
}

function rfcLines(): string[] {
  return RFC8032_VECTORS.flatMap((v) => {
    const tampered = Buffer.from(v.signature, "hex");
    tampered.writeUInt8(tampered.readUInt8(3) ^ 0x40, 3);
    return [
      `${v.publicKey} ${v.message || "-"} ${v.signature} 1`,
      `${v.publicKey} ${v.message || "-"} ${hex(tampered)} 0`,
    ];
  });
}

async function runDriver(binary: string, dir: string): Promise<{ stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const result = await runProcess(binary, ["-X", `heapsize=${HEAP}`, "driver.py"], { timeoutMs: 600_000, cwd: dir });
  return { stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
}

test("Node reproduces the RFC 8032 vectors as written here (a check of their transcription)", () => {
  for (const v of RFC8032_VECTORS) {
    const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(v.secret, "hex")]);
    const key = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
    expect(Buffer.from(publicKeyBase64(key), "base64").toString("hex")).toBe(v.publicKey);
    expect(sign(null, Buffer.from(v.message, "hex"), key).toString("hex")).toBe(v.signature);
  }
});

/** RFC 8032's vectors, then 300 random signatures checked by Node: a third tampered, a sixth with a flipped bit. */
function agreementLines(): string[] {
  const lines = rfcLines();
  for (let i = 0; i < 300; i++) {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const message = randomBytes(i % 3 === 0 ? 51 : 1 + (i % 200)); // 51: the size of a release's signed message
    let signature = sign(null, message, privateKey);
    let signed = message;
    if (i % 3 === 1) signed = Buffer.concat([message.subarray(1), Buffer.from([message[0]! ^ 1])]); // another message
    if (i % 6 === 2) {
      signature = Buffer.from(signature); // a flipped bit
      signature.writeUInt8(signature.readUInt8(i % 64) ^ (1 << (i % 8)), i % 64);
    }
    const pub = Buffer.from(publicKeyBase64(publicKey), "base64");
    const expected = verify(null, signed, publicKey, signature);
    lines.push(`${hex(pub)} ${signed.length ? hex(signed) : "-"} ${hex(signature)} ${expected ? 1 : 0}`);
  }
  return lines;
}

test("RFC 8032 vectors and 300 random signatures agree with Node on the unix port at 38 KB", async () => {
  const lines = agreementLines();
  const dir = await prepare(lines);
  try {
    const run = await runDriver(findMicropython(), dir);
    console.log(`unix port: ${lines.length} verifies in ${run.ms} ms at a ${HEAP}-byte heap`);
    expect(run.stderr).toBe("");
    expect(run.stdout.trim().split("\n").pop()).toBe(`CHECKED ${lines.length} WRONG 0`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 600_000);

// each board's oldest firmware: the same on its unix port (a skip without it, a failure under CI=true)
for (const firmware of FIRMWARES.filter((f) => f !== CURRENT_FIRMWARE)) {
  const binary = runtimeOrSkip(firmware);
  (binary ? test : test.skip)(`RFC 8032 vectors and 300 random signatures agree with Node on MicroPython ${firmware.version} at 38 KB (${firmware.variable})`, async () => {
    const lines = agreementLines();
    const dir = await prepare(lines);
    try {
      const run = await runDriver(binary!, dir);
      console.log(`MicroPython ${firmware.version}: ${lines.length} verifies in ${run.ms} ms at a ${HEAP}-byte heap`);
      expect(run.stderr).toBe("");
      expect(run.stdout.trim().split("\n").pop()).toBe(`CHECKED ${lines.length} WRONG 0`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 600_000);
}

