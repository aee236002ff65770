/** Release signing in the config (02xx): which public keys devices trust, or that they accept unsigned releases. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { publicKeyProblem } from "../keys.js";
import { error, warning, type Issue, type Span } from "./issue.js";
import { property, stringItems, valueOf, type StaticObject } from "./static-value.js";

/** Most keys a device holds: a primary, a backup, and room for a rotation. */
export const MAX_PUBLIC_KEYS = 8;

/** A public key as the config gives it, with where to point at it. */
interface KeyUse {
  key: string;
  span: Span;
  /** "line N of FILE" for a key read from publicKeysFile. */
  from?: string;
}

/** The keys of publicKeys and publicKeysFile, read once for both the checks and resolution, and the file's problem. */
export interface SigningKeys {
  keys: KeyUse[];
  issues: Issue[];
}

/** The keys the config's signing names (none without a signing object), the file read once. */
export function readSigningKeys(config: StaticObject, configDir: string): SigningKeys {
  const signing = valueOf(config, "signing", "object");
  return signing === undefined ? { keys: [], issues: [] } : keyUses(signing, configDir);
}

function keyUses(signing: StaticObject, configDir: string): SigningKeys {
  const keys: KeyUse[] = stringItems(valueOf(signing, "publicKeys", "array")).map((item) => ({ key: item.value, span: item.span }));
  const file = valueOf(signing, "publicKeysFile", "string");
  if (file === undefined) return { keys, issues: [] };
  let text: string;
  try {
    text = readFileSync(resolve(configDir, file.value), "utf8");
  } catch (cause) {
    const reason = unreadableReason(cause);
    return { keys, issues: [error("GEN_OTA_0234", `cannot read publicKeysFile "${file.value}": ${reason}`, file.span, "a file of base64 public keys, one per line, relative to ota.config.ts (gen-ota keygen --public-out writes one)")] };
  }
  text.split(/\r?\n/).forEach((line, index) => {
    const key = line.trim();
    if (key !== "" && !key.startsWith("#")) keys.push({ key, span: file.span, from: `line ${index + 1} of ${file.value}` });
  });
  return { keys, issues: [] };
}

/**
 * Why a file could not be read, in words: Node's message names the absolute path, which the
 * diagnostic already shows as the user wrote it, and carries "Error:" when it crossed a realm.
 */
function unreadableReason(cause: unknown): string {
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : "";
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return code !== "" ? code : String(cause);
}

/** The public keys devices trust at first (base64), in config order, duplicates dropped. */
export function trustedKeys(read: SigningKeys): string[] {
  return [...new Set(read.keys.map((use) => use.key))];
}

/** Every problem of `signing`: absent, no key, a key that is not one, the same key twice; a warning for allowUnsigned. */
export function checkSigning(config: StaticObject, read: SigningKeys): Issue[] {
  const entry = property(config, "signing");
  const signing = valueOf(config, "signing", "object");
  if (entry === undefined) {
    if (config.open) return []; // a spread it could not read may hold it
    return [
      error(
        "GEN_OTA_0230",
        "no signing: say which releases devices accept",
        config.span,
        'run gen-ota keygen and add signing: { publicKeys: ["<its public key>"] }; or, for development only, signing: { allowUnsigned: true }',
        [],
      ),
    ];
  }
  if (signing === undefined) return []; // a wrong type: checkShape reports it
  const keys = read.keys;
  const issues = [...read.issues];
  const seen = new Set<string>();
  for (const use of keys) {
    const where = use.from === undefined ? "" : ` (${use.from})`;
    const problem = publicKeyProblem(use.key);
    if (problem !== undefined) {
      const shown = use.key.length > 50 ? `${use.key.slice(0, 47)}...` : use.key;
      issues.push(error("GEN_OTA_0231", `signing key "${shown}"${where} ${problem}`, use.span, "public keys are 44 characters of base64, as gen-ota keygen prints them; never the private key"));
    } else if (seen.has(use.key)) {
      issues.push(error("GEN_OTA_0233", `signing key "${use.key}"${where} is listed twice`, use.span, "remove the second one; a backup key must be a key pair of its own"));
    }
    seen.add(use.key);
  }
  if (seen.size > MAX_PUBLIC_KEYS) {
    issues.push(error("GEN_OTA_0231", `signing names ${seen.size} keys: at most ${MAX_PUBLIC_KEYS}`, entry.keySpan, "a primary and an offline backup are enough"));
  }
  const allowUnsigned = valueOf(signing, "allowUnsigned", "boolean");
  if (keys.length === 0 && issues.length === 0 && allowUnsigned?.value !== true) {
    issues.push(error("GEN_OTA_0232", "signing names no public key: devices would refuse every release", entry.keySpan, 'add publicKeys: ["<base64>"] from gen-ota keygen, or allowUnsigned: true for development'));
  }
  if (allowUnsigned?.value === true) {
    issues.push(
      warning(
        "GEN_OTA_0306",
        `signing.allowUnsigned: devices accept releases without a signature${keys.length ? " (signed ones are still checked)" : ""}`,
        allowUnsigned.span,
        "anyone who can answer the device's requests can install code on it: for development only",
      ),
    );
  }
  return issues;
}
