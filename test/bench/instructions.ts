/**
 * Instructions of one signature check, as ota.update() makes it: `ota_sha512.sha512(input)`, then
 * `ota_ed25519.verify(key, signature, digest)`, on a real signature made with Node's crypto.
 *
 * Counted by valgrind's callgrind, which runs native programs only: on a 64-bit build of the same
 * MicroPython unix port (build-micropython.sh --x86-64), since the 32-bit one may need qemu-i386
 * here. One script runs twice: once importing the two modules and stopping, once making the check
 * too; the difference is the check. The count is this host's x86-64 instructions: a board runs
 * the same bytecode, with its own instruction set and, on 32 bits, smaller big-number digits.
 */
import { spawnSync } from "node:child_process";
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateBoard } from "../../generator/generate.js";
import { publicKeyBase64 } from "../../generator/keys.js";
import { signedMessage } from "../../generator/release/sign.js";
import { targets, type Target } from "../../targets/index.js";
import { findMicropythonX86_64 } from "../runtime/micropython.js";
import type { Variant } from "../runtime/updater.js";
import { exampleConfig } from "./sizes.js";
import { mpyOf } from "../runtime/updater.js";

/** The two modules of the check, loaded by ota.update() one after the other. */
const MODULES = ["ota_sha512", "ota_ed25519"] as const;

/**
 * GC heap of the counted runs: twice ESP32's budget, as a 64-bit object takes up to twice a 32-bit
 * one's bytes, so that collections come about as often as on a board (they are part of the cost).
 */
export const HEAP_BYTES = 2 * targets.get("esp32")!.heap.budgetBytes;

/** Instructions of one check by form, or why they were not counted. */
export type InstructionCount = { counted: Record<Variant, number> } | { skipped: string };

/** The device's inputs to the check, from a fresh key pair: key, signature, and SHA-512 input. */
function signedCheck(): { key: Buffer; signature: Buffer; input: Buffer } {
  const { privateKey } = generateKeyPairSync("ed25519");
  const manifest = Buffer.from(JSON.stringify({ version: "1.0.0", sequence: 1, boards: ["bench"], files: [] }));
  const message = signedMessage(manifest); // "gen-ota release v1\n" + sha256(manifest), as ota_verify builds it
  const signature = sign(null, message, privateKey);
  const key = Buffer.from(publicKeyBase64(privateKey), "base64");
  // ota_verify.signed(): signature[:32] + key + DOMAIN + sha256(manifest)
  return { key, signature, input: Buffer.concat([signature.subarray(0, 32), key, message]) };
}

/** The counted script: `import`, then the check when its argument says so; both runs compile the same text. */
function script(check: ReturnType<typeof signedCheck>): string {
  const hex = (data: Buffer): string => `binascii.unhexlify("${data.toString("hex")}")`;
  return [
    "import sys, binascii",
    `import ${MODULES.join(", ")}`,
    `KEY = ${hex(check.key)}`,
    `SIGNATURE = ${hex(check.signature)}`,
    `INPUT = ${hex(check.input)}`,
    'if sys.argv[1] == "check":',
    "    print(ota_ed25519.verify(KEY, SIGNATURE, ota_sha512.sha512(INPUT)))",
    "",
  ].join("\n");
}

/** Instructions callgrind counts for `micropython script.py step` run in `dir`, after checking its output. */
function count(binary: string, dir: string, step: "import" | "check"): number {
  const run = spawnSync(
    "valgrind",
    ["--tool=callgrind", `--callgrind-out-file=${join(dir, "callgrind.out")}`, binary, "-X", `heapsize=${HEAP_BYTES}`, "script.py", step],
    { cwd: dir, encoding: "utf8", timeout: 300_000 },
  );
  const expected = step === "check" ? "True\n" : "";
  if (run.status !== 0 || run.stdout !== expected) {
    throw new Error(`bench: ${step} in ${dir} printed ${JSON.stringify(run.stdout)} (exit ${run.status}), not ${JSON.stringify(expected)}\n${run.stderr}`);
  }
  const collected = /Collected\s*:\s*(\d+)/.exec(run.stderr);
  if (!collected) throw new Error(`bench: no instruction count from callgrind\n${run.stderr}`);
  return Number(collected[1]);
}

/** Writes the board's two modules to `dir` in `variant` form, with the script. */
async function prepare(dir: string, board: Target, variant: Variant, text: string): Promise<void> {
  mkdirSync(dir);
  const files = generateBoard(exampleConfig(board), board);
  for (const name of MODULES) {
    const source = String(files.find((file) => file.name === `${name}.py`)!.contents);
    if (variant === "py") writeFileSync(join(dir, `${name}.py`), source);
    else writeFileSync(join(dir, `${name}.mpy`), await mpyOf(source, `${name}.py`));
  }
  writeFileSync(join(dir, "script.py"), text);
}

const hasValgrind = (): boolean => spawnSync("valgrind", ["--version"], { stdio: "ignore" }).status === 0;

/** Counts already made, by the modules' bytes: the boards' check modules are often the same. */
const counted = new Map<string, number>();

/**
 * One script for every board, made once: how many point additions verify() makes depends on the
 * bits of the signature and digest, so every board is counted on the same ones.
 */
let counting: string | undefined;

/** Instructions of one signature check with `board`'s generated modules, as .py and as .mpy (ABI 6). */
export async function signatureCheckInstructions(board: Target): Promise<InstructionCount> {
  if (!hasValgrind()) return { skipped: "no valgrind" };
  let binary: string;
  try {
    binary = findMicropythonX86_64();
  } catch (error) {
    return { skipped: `no 64-bit MicroPython: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
  }
  const text = (counting ??= script(signedCheck()));
  const root = mkdtempSync(join(tmpdir(), "gen-ota-instructions-"));
  try {
    const result = {} as Record<Variant, number>;
    for (const variant of ["py", "mpy"] as const) {
      const dir = join(root, variant);
      await prepare(dir, board, variant, text);
      const hash = createHash("sha256").update(variant);
      for (const name of MODULES) hash.update(readFileSync(join(dir, `${name}.${variant}`)));
      const key = hash.digest("hex");
      let instructions = counted.get(key);
      if (instructions === undefined) {
        instructions = count(binary, dir, "check") - count(binary, dir, "import");
        counted.set(key, instructions);
      }
      result[variant] = instructions;
    }
    return { counted: result };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
