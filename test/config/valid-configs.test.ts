/**
 * Valid fixtures under test/fixtures/config/valid/ resolve to the expected ResolvedConfig. The
 * warnings they load with are their baselines (baselines.test.ts).
 */
import { join } from "node:path";
import { loadConfig, loadConfigFromText } from "../../generator/config/load.js";
import type { ResolvedConfig } from "../../generator/config/resolved.js";
import { brief, configText, fixture, repoRoot } from "./helpers.js";

const GITHUB = {
  latest: "https://github.com/octo/lamp/releases/latest/download/{asset}",
  release: "https://github.com/octo/lamp/releases/download/{tag}/{asset}",
  file: "https://raw.githubusercontent.com/octo/lamp/{tag}/project/{path}",
};

const DEFAULTS = {
  repo: "octo/lamp",
  appDir: "/project",
  appPath: "project",
  version: { kind: "latest" },
  entry: "main",
  wifi: null,
  token: null,
  endpoints: GITHUB,
  tagPrefix: "v",
  trialBoots: 3,
  trialSeconds: 120,
  watchdog: "hardware",
  update: "boot",
  timeoutSeconds: 10,
  secretsFile: "/secrets.json",
  signing: { publicKeys: ["ecSlx8qyOo2cjFPN7N/8tfGfPn+wqYB05RqBTJO0M/U="], allowUnsigned: false },
} as const;

/** Loads a valid fixture: the config it resolves to. */
function load(name: string, env: Record<string, string> = {}): ResolvedConfig {
  const path = fixture("valid", `${name}.ts`);
  const result = loadConfig(path, { cwd: repoRoot, env });
  if (!result.ok) throw new Error(`${name}.ts failed: ${result.diagnostics.map(brief).join(", ")}`);
  return result.value;
}

const SHA256 = expect.stringMatching(/^[0-9a-f]{64}$/);

describe("valid configs", () => {
  it("applies every default", () => {
    expect(load("minimal")).toEqual({
      ...DEFAULTS,
      boards: ["esp32"],
      configHash: SHA256,
      configPath: fixture("valid", "minimal.ts"),
    });
  });

  it("keeps every given value and embeds the asked secret", () => {
    expect(load("full", { WIFI_PASS: "hunter2", GITHUB_TOKEN: "never-embedded" })).toEqual({
      repo: "octo/lamp",
      appDir: "/apps/lamp",
      appPath: "apps/lamp",
      boards: ["esp8266", "esp32", "rp2-pico-w"],
      minFirmware: "1.19",
      version: { kind: "range", range: "~1.4.2", min: "1.4.2", max: "1.5.0" },
      entry: "lamp.main",
      wifi: {
        ssid: { kind: "literal", value: "workshop" },
        password: { kind: "embedded-secret", name: "WIFI_PASS", value: "hunter2" },
      },
      token: { kind: "secret", name: "GITHUB_TOKEN" },
      endpoints: {
        latest: "http://mirror.local/octo/lamp/latest/{asset}",
        release: "http://mirror.local/octo/lamp/{tag}/{asset}",
        file: "http://mirror.local/octo/lamp/{tag}/apps/lamp/{path}",
      },
      tagPrefix: "release-",
      trialBoots: 5,
      trialSeconds: 45,
      watchdog: "timer",
      update: "manual",
      timeoutSeconds: 30,
      secretsFile: "/etc/secrets.json",
      signing: DEFAULTS.signing,
      configHash: SHA256,
      configPath: fixture("valid", "full.ts"),
    });
  });

  it("reads consts, spreads, templates and a namespace import, and compiles ^1.4", () => {
    const value = load("consts-and-satisfies");
    expect(value).toMatchObject({
      repo: "octo/lamp",
      boards: ["esp32", "rp2-pico-w"],
      version: { kind: "range", range: "^1.4", min: "1.4.0", max: "2.0.0" },
      wifi: { ssid: { kind: "secret", name: "WIFI_SSID" }, password: { kind: "secret", name: "WIFI_PASS" } },
      trialBoots: 2,
    });
  });

  it("pins a version", () => {
    const value = load("esp8266-github");
    expect(value.version).toEqual({ kind: "pin", version: "1.4.2" });
  });

  it("accepts the unix board with a plain-HTTP mirror, from a plain default export", () => {
    const value = load("unix-mirror");
    expect(value.boards).toEqual(["unix"]);
    expect(value.version).toEqual({ kind: "range", range: ">=1.2 <2", min: "1.2.0", max: "2.0.0" });
    expect(value.endpoints.file).toBe("http://127.0.0.1:8080/octo/lamp/{tag}/project/{path}");
  });

  it("takes the app's folder in the repo from appPath, fills {dir} with it", () => {
    const value = load("plain-wifi-password");
    expect(value.appPath).toBe("firmware/app");
    expect(value.endpoints.file).toBe("https://raw.githubusercontent.com/octo/lamp/{tag}/firmware/app/{path}");
    expect(value.wifi?.password).toEqual({ kind: "literal", value: "hunter2" });
  });

  it("keeps appPath out of the headers' identity: the generated files see it only through endpoints.file", () => {
    const hash = (body: string): string => {
      const result = loadConfigFromText(configText(body), "ota.config.ts", { env: {} });
      if (!result.ok) throw new Error(result.diagnostics.map(brief).join(", "));
      return result.value.configHash;
    };
    const base = 'repo: "octo/lamp", appDir: "/project", boards: ["esp32"]';
    expect(hash(`${base}, appPath: "project"`)).toBe(hash(base));
    expect(hash(`${base}, appPath: "firmware/project"`)).not.toBe(hash(base));
    const mirror = 'endpoints: { latest: "http://m/{asset}", release: "http://m/{tag}/{asset}", file: "http://m/{tag}/{path}" }';
    expect(hash(`${base}, ${mirror}, appPath: "elsewhere"`)).toBe(hash(`${base}, ${mirror}`));
  });

  it("loads from text, naming the config by the display path", () => {
    const text = configText('repo: "octo/lamp", appDir: "/project", boards: ["esp32"]');
    const result = loadConfigFromText(text, "ota.config.ts", { env: {} });
    expect(result.ok && result.value.configPath).toBe("ota.config.ts");
  });

  it("keeps a secret on the device when it is not asked to be embedded", () => {
    const text = configText(
      'repo: "octo/lamp", appDir: "/project", boards: ["esp32"], wifi: { ssid: "a", password: secret("WIFI_PASS") }',
    );
    const result = loadConfigFromText(text, "ota.config.ts", { env: { WIFI_PASS: "hunter2" } });
    expect(result.ok && result.value.wifi?.password).toEqual({ kind: "secret", name: "WIFI_PASS" });
  });

  it("keeps configPath as given, and shows an absolute path inside the working directory relative to it", () => {
    const absolute = join(repoRoot, fixture("valid", "minimal.ts"));
    const loaded = loadConfig(absolute, { cwd: repoRoot, env: {} });
    expect(loaded.ok && loaded.value.configPath).toBe(absolute);
    const broken = loadConfig(join(repoRoot, fixture("invalid", "bad-repo.ts")), { cwd: repoRoot, env: {} });
    expect(!broken.ok && broken.diagnostics[0]?.location?.file).toBe(fixture("invalid", "bad-repo.ts"));
  });

  it("names the config in headers by what it resolves to: not its comments, quotes or line endings, nor a secret's value", () => {
    const identity = (body: string, env: Record<string, string> = {}): string => {
      const result = loadConfigFromText(configText(body), "ota.config.ts", { env });
      if (!result.ok) throw new Error(result.diagnostics.map(brief).join(", "));
      return result.value.configHash;
    };
    const plain = identity('repo: "octo/lamp", appDir: "/project", boards: ["esp32"]');
    expect(identity("repo: 'octo/lamp', // the lamp\r\n appDir: '/project', boards: ['esp32']")).toBe(plain);
    expect(identity('repo: "octo/lamp", appDir: "/project", boards: ["esp32"], trialBoots: 3')).toBe(plain); // the default, written out
    expect(identity('repo: "octo/lamp", appDir: "/project", boards: ["esp32"], trialBoots: 4')).not.toBe(plain);
    const embedded = 'repo: "octo/lamp", appDir: "/project", boards: ["esp32"], wifi: { ssid: "a", password: secret("WIFI_PASS") }, embedSecrets: ["WIFI_PASS"]';
    expect(identity(embedded, { WIFI_PASS: "one" })).toBe(identity(embedded, { WIFI_PASS: "two" }));
  });

  it("loads a config in well under 2 s", () => {
    const started = performance.now();
    load("full", { WIFI_PASS: "x" });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
