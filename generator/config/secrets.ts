/**
 * Secrets: their names (0215), the ones the user asks to embed from the environment (0217, 0218),
 * and a Wi-Fi password written as a plain string (0225).
 */
import { error, warning, type Issue } from "./issue.js";
import { secretsIn, stringItems, valueOf, type StaticObject } from "./static-value.js";
import { didYouMean } from "./suggest.js";

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

const SECRET_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Every problem of the config's secrets, given the environment embedded secrets come from. */
export function checkSecrets(config: StaticObject, env: Environment): Issue[] {
  const secrets = secretsIn(config);
  const issues: Issue[] = [];
  for (const secret of secrets.filter((candidate) => !SECRET_NAME.test(candidate.name))) {
    const fixed = secret.name
      .toUpperCase()
      .replace(/[^A-Z0-9_]/g, "_")
      .replace(/^(?=[0-9])/, "_");
    const message = `secret name "${secret.name}" is not an UPPER_SNAKE_CASE name`;
    issues.push(error("GEN_OTA_0215", message, secret.nameSpan, `names are [A-Z_][A-Z0-9_]*, e.g. secret("${fixed}")`));
  }
  const used = [...new Set(secrets.map((secret) => secret.name))];
  for (const entry of stringItems(valueOf(config, "embedSecrets", "array"))) {
    if (!used.includes(entry.value)) {
      const near = didYouMean(entry.value, used);
      const hint =
        near ?? (used.length === 0 ? "the config uses no secret()" : `the config's secrets: ${used.join(", ")}`);
      issues.push(
        error(
          "GEN_OTA_0217",
          `embedSecrets names "${entry.value}", which no secret() in the config uses`,
          entry.span,
          hint,
        ),
      );
    } else if (env[entry.value] === undefined) {
      const message = `embedSecrets names "${entry.value}", but the environment variable ${entry.value} is unset`;
      const hint = `set it when generating, e.g. ${entry.value}=... npx gen-ota, or drop it from embedSecrets to read it on the device`;
      issues.push(error("GEN_OTA_0218", message, entry.span, hint));
    }
  }
  issues.push(...checkPlainWifiPassword(config));
  return issues;
}

/**
 * GEN_OTA_0225: a Wi-Fi password given as a string lands in ota_main.py, which a device repo commits.
 * The way to embed one knowingly is secret() with embedSecrets, so a plain string is never taken
 * for that choice. The SSID is not warned about: the access point broadcasts it; nor is "" (an
 * open network).
 */
function checkPlainWifiPassword(config: StaticObject): Issue[] {
  const password = valueOf(valueOf(config, "wifi", "object"), "password", "string");
  if (password === undefined || password.value === "") return [];
  return [
    warning(
      "GEN_OTA_0225",
      "wifi.password is a plain string: it will be written into the generated ota_main.py, which you commit",
      password.span,
      'write password: secret("WIFI_PASS") to read it on the device from secretsFile; to embed it on purpose, add embedSecrets: ["WIFI_PASS"] and set WIFI_PASS when generating',
    ),
  ];
}

/** The names listed in embedSecrets. */
export function embeddedNames(config: StaticObject): Set<string> {
  return new Set(stringItems(valueOf(config, "embedSecrets", "array")).map((entry) => entry.value));
}
