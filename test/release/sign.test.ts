/** Signed releases and keys: gen-ota keygen, release --sign-key/--sign-key-env, and the signing config's diagnostics. */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runKeygenCommand } from "../../generator/cli/keygen.js";
import { loadConfigFromText } from "../../generator/config/load.js";
import { publicKeyBase64 } from "../../generator/keys.js";
import { runReleaseCommand } from "../../generator/release/command.js";
import { signedMessage, verifyRelease } from "../../generator/release/sign.js";
import { brief, configText } from "../config/helpers.js";

const APP = fileURLToPath(new URL("../fixtures/release/app", import.meta.url));

function capture(cwd: string, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), cwd, env }, out, err };
}

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "gen-ota-sign-"));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function newKey(): { pem: string; publicKey: string } {
  const { privateKey } = generateKeyPairSync("ed25519");
  return { pem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(), publicKey: publicKeyBase64(privateKey) };
}

describe("gen-ota release, signed", () => {
  test("signs the manifest's exact bytes, with sequence and boards in it", async () => {
    const key = newKey();
    writeFileSync(join(scratch, "key.pem"), key.pem);
    const { io, err, out } = capture(scratch);
    const code = await runReleaseCommand(["--dir", APP, "--version", "1.4.2", "--out", "dist", "--sign-key", "key.pem", "--board", "esp8266,esp32", "--sequence", "42"], io);
    expect(err.join("")).toBe("");
    expect(code).toBe(0);
    const manifest = readFileSync(join(scratch, "dist", "ota-manifest.json"));
    expect(manifest.toString()).toMatch(/^\{"version":"1\.4\.2","sequence":42,"boards":\["esp8266","esp32"\],"files":\[/);
    const [line, ...rest] = readFileSync(join(scratch, "dist", "ota-manifest.sig"), "utf8").split("\n");
    expect(rest).toEqual([""]);
    const [publicKey, signature] = line!.split(" ");
    expect(publicKey).toBe(key.publicKey);
    expect(verifyRelease(manifest, key.publicKey, signature!)).toBe(true);
    expect(verifyRelease(Buffer.concat([manifest, Buffer.from(" ")]), key.publicKey, signature!)).toBe(false);
    expect(signedMessage(manifest).subarray(0, 19).toString()).toBe("gen-ota release v1\n");
    expect(out.join("")).toContain("sequence 42, boards esp8266, esp32");
    expect(out.join("")).not.toContain("PRIVATE");
  });

  test("reads the key from an environment variable, derives the sequence from the clock, names a rotation", async () => {
    const key = newKey();
    const next = newKey();
    const { io, err } = capture(scratch, { OTA_SIGNING_KEY: key.pem });
    const before = Math.floor(Date.now() / 1000);
    const code = await runReleaseCommand(["--dir", APP, "--version", "1.5.0", "--out", "dist", "--sign-key-env", "OTA_SIGNING_KEY", "--board", "esp32", "--rotate-keys", next.publicKey], io);
    expect(err.join("")).toBe("");
    expect(code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(scratch, "dist", "ota-manifest.json"), "utf8")) as { sequence: number; keys: string[] };
    expect(manifest.sequence).toBeGreaterThanOrEqual(before);
    expect(manifest.keys).toEqual([next.publicKey]);
  });

  test("usage errors: no --board when signing, --sequence without a key, an unknown board, a bad key, an unset variable", async () => {
    writeFileSync(join(scratch, "bad.pem"), "not a key");
    const cases: [string[], RegExp][] = [
      [["--sign-key-env", "K"], /--board B is required/],
      [["--sequence", "3"], /--sequence is part of a signed release/],
      [["--sign-key-env", "K", "--board", "esp82666"], /--board esp82666: no such board/],
      [["--sign-key", "bad.pem", "--board", "esp32"], /GEN_OTA_0709 .*--sign-key bad\.pem is not a PEM private key/],
      [["--sign-key-env", "UNSET", "--board", "esp32"], /environment variable UNSET is not set/],
      [["--sign-key-env", "K", "--board", "esp32", "--sequence", "-1"], /--sequence -1 is not a whole number/],
      [["--sign-key-env", "K", "--board", "esp32", "--rotate-keys", "abc"], /--rotate-keys: 'abc' is not 44 characters of base64/],
    ];
    for (const [args, message] of cases) {
      const { io, err } = capture(scratch, { K: newKey().pem });
      const code = await runReleaseCommand(["--dir", APP, "--version", "1.0.0", "--out", "dist", ...args], io);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(err.join("")).toMatch(message);
    }
    expect(existsSync(join(scratch, "dist"))).toBe(false);
  });
});

describe("gen-ota keygen", () => {
  test("writes the private key with mode 0600, never over a file, and prints the public key and next steps", async () => {
    const { io, out, err } = capture(scratch);
    expect(await runKeygenCommand(["--out", "signing.pem", "--public-out", "signing.pub"], io)).toBe(0);
    expect(err.join("")).toBe("");
    const pem = readFileSync(join(scratch, "signing.pem"), "utf8");
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(join(scratch, "signing.pem")).mode & 0o777).toBe(0o600);
    const publicKey = readFileSync(join(scratch, "signing.pub"), "utf8").trim();
    expect(out.join("")).toContain(`public key: ${publicKey}`);
    expect(out.join("")).toContain('signing: { publicKeysFile: "signing.pub" }');
    expect(out.join("")).not.toContain("PRIVATE KEY");
    const again = capture(scratch);
    expect(await runKeygenCommand(["--out", "signing.pem"], again.io)).toBe(2);
    expect(again.err.join("")).toMatch(/GEN_OTA_0913 .*exists: gen-ota keygen never overwrites a key/);
    expect(readFileSync(join(scratch, "signing.pem"), "utf8")).toBe(pem);
  });

  test("--stdout prints only the private key on stdout; everything else goes to stderr", async () => {
    const { io, out, err } = capture(scratch);
    expect(await runKeygenCommand(["--stdout"], io)).toBe(0);
    expect(out.join("")).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]*-----END PRIVATE KEY-----\n$/);
    expect(err.join("")).toMatch(/public key: [A-Za-z0-9+/]{43}=/);
  });

  test("refuses a path inside a git work tree unless it is gitignored", async () => {
    const repo = join(scratch, "repo");
    mkdirSync(repo);
    execFileSync("git", ["init", "-q", repo]);
    writeFileSync(join(repo, ".gitignore"), "secret/\n");
    const { io, err } = capture(repo);
    expect(await runKeygenCommand(["--out", "signing.pem"], io)).toBe(2);
    expect(err.join("")).toMatch(/GEN_OTA_0912 .*inside a git work tree and not gitignored/);
    expect(existsSync(join(repo, "signing.pem"))).toBe(false);
    mkdirSync(join(repo, "secret"));
    expect(await runKeygenCommand(["--out", "secret/signing.pem"], capture(repo).io)).toBe(0);
  });

  test("needs exactly one of --out and --stdout", async () => {
    const { io, err } = capture(scratch);
    expect(await runKeygenCommand([], io)).toBe(2);
    expect(err.join("")).toMatch(/GEN_OTA_0911 give exactly one of --out FILE and --stdout/);
  });
});

describe("signing in the config", () => {
  const load = (body: string, dir = scratch) => {
    const text = `import { defineConfig } from "gen-ota";\nexport default defineConfig({\n  repo: "octo/lamp", appDir: "/project", boards: ["esp32"],\n${body}\n});\n`;
    return loadConfigFromText(text, "ota.config.ts", { env: {}, cwd: dir });
  };

  test("a key that is not one is an error at its place", () => {
    const result = load('  signing: { publicKeys: ["c2hvcnQ="] },');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics.map(brief)).toEqual(["GEN_OTA_0231 4:27"]);
  });

  test("no signing, no key, a key twice, an unreadable key file", () => {
    const key = newKey().publicKey;
    const codes = (body: string) => {
      const result = load(body);
      return result.ok ? result.warnings.map(brief) : result.diagnostics.map(brief);
    };
    expect(codes("")).toEqual(["GEN_OTA_0230 2:29"]);
    expect(codes("  signing: {},")).toEqual(["GEN_OTA_0232 4:3"]);
    expect(codes(`  signing: { publicKeys: ["${key}", "${key}"] },`)).toEqual([`GEN_OTA_0233 4:${27 + key.length + 4}`]);
    expect(codes('  signing: { publicKeysFile: "missing.pub" },')).toEqual(["GEN_OTA_0234 4:30"]);
  });

  test("allowUnsigned is a warning; keys from a file resolve", () => {
    const key = newKey().publicKey;
    writeFileSync(join(scratch, "keys.pub"), `# primary\n${key}\n`);
    const result = load('  signing: { publicKeysFile: "keys.pub", allowUnsigned: true },');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.signing).toEqual({ publicKeys: [key], allowUnsigned: true });
      expect(result.warnings.map(brief)).toEqual(["warning GEN_OTA_0306 4:57"]);
    }
  });

  test("the helper's configs carry a key", () => {
    expect(configText('repo: "a/b"')).toContain("signing");
  });
});
