import type { Target } from "../../targets/index.js";
import { targets } from "../../targets/index.js";
import { heapEstimates, measuredHeap } from "../../targets/heap.js";
import { validateConfig } from "../../generator/config/validate.js";
import { appDirProblem } from "../../generator/config/values.js";
import type { Issue } from "../../generator/config/issue.js";
import { configText, evaluateText } from "./helpers.js";

const BASE = 'repo: "octo/lamp", appDir: "/project",';

/** The issues of a config body (keys only), as "code severity" strings, sorted by code. */
function check(body: string, env: Record<string, string> = {}, boards: ReadonlyMap<string, Target> = targets): Issue[] {
  const { config } = evaluateText(configText(body));
  if (config === undefined) throw new Error("fixture has no config");
  return validateConfig(config, { env, targets: boards }).issues;
}

function codes(body: string, env: Record<string, string> = {}): string[] {
  return check(body, env).map((issue) => issue.code);
}

describe("schema", () => {
  it("accepts a minimal config", () => {
    expect(check(`${BASE} boards: ["esp32"]`)).toEqual([]);
  });

  it("names the nearest key for an unknown one, nested keys too", () => {
    const issues = check(`${BASE} boards: ["esp32"], wifi: { ssid: "a", passwrd: "b" }`);
    expect(issues.map((issue) => [issue.code, issue.message, issue.hint])).toEqual([
      ["GEN_OTA_0101", "unknown key 'wifi.passwrd'", "did you mean 'password'?"],
      ["GEN_OTA_0102", "missing required key 'wifi.password'", "add password: network password"],
    ]);
  });

  it("lists the valid keys when none is near", () => {
    const [issue] = check(`${BASE} boards: ["esp32"], colour: "red"`);
    expect(issue?.hint).toMatch(/^valid keys: repo, appDir, appPath, boards, version/);
  });

  it("reports every missing required key", () => {
    expect(check("").map((issue) => issue.message)).toEqual([
      "missing required key 'repo'",
      "missing required key 'appDir'",
      "missing required key 'boards'",
    ]);
  });

  it("does not report missing keys of an object with a spread it could not read", () => {
    const { config } = evaluateText("export default { ...(globalThis as any).x };");
    expect(config && validateConfig(config, { env: {}, targets }).issues.map((issue) => issue.code)).toEqual([]);
  });

  it("checks types, enums and list entries", () => {
    expect(codes(`${BASE} boards: ["esp32", 3], trialBoots: "3", update: "auto", token: "t"`)).toEqual([
      "GEN_OTA_0103",
      "GEN_OTA_0103",
      "GEN_OTA_0104",
      "GEN_OTA_0103",
    ]);
  });

  it("treats an optional key set to undefined as absent", () => {
    expect(codes(`${BASE} boards: ["esp32"], version: undefined`)).toEqual([]);
  });
});

describe("field values", () => {
  it.each([
    ['repo: "octo"', "GEN_OTA_0204"],
    ['repo: "octo/lamp/x"', "GEN_OTA_0204"],
    ['repo: "-octo/lamp"', "GEN_OTA_0204"],
    ['repo: "octo/.."', "GEN_OTA_0204"],
  ])("%s -> %s", (repo, code) => {
    expect(codes(`${repo}, appDir: "/p", boards: ["esp32"]`)).toEqual([code]);
  });

  it("accepts GitHub repository names", () => {
    expect(codes('repo: "octo-cat/lamp.v2_x", appDir: "/p", boards: ["esp32"]')).toEqual([]);
  });

  it.each([
    ["project", "is not absolute"],
    ["/", "is the root"],
    ["/project/", "ends with a slash"],
    ["/a//b", "empty segment"],
    ["/a/../b", "'..' segment"],
    ["/a/./b", "'.' segment"],
    ["/next", "is a path the updater owns: /next holds the version being staged"],
    ["/prev/app", "owns: /prev holds"],
    ["/NEXT", "owns: /next holds"],
    ["/ota_trash", "owns: /ota* holds"],
    ["/ota.j0", "owns: /ota.j* holds the journal's two slots"],
    ["/ota_fetch.py", "owns: /ota* holds"],
    ["/main.py", "owns: /main.py holds"],
    ["/boot.py", "owns: /boot.py holds"],
    ["/lib", "owns: /lib holds"],
  ])("appDir %j %s", (dir, problem) => {
    expect(appDirProblem(dir)).toContain(problem);
  });

  it.each(["/project", "/apps/lamp", "/nextcloud", "/lib/app", "/app/ota"])("appDir %j is fine", (dir) => {
    expect(appDirProblem(dir)).toBeUndefined();
  });

  it.each([
    ["main", true],
    ["app.main", true],
    ["_private", true],
    ["main.py", false],
    ["app/main", false],
    ["2fast", false],
    ["class", false],
    ["app..main", false],
  ])("entry %j valid: %s", (entry, valid) => {
    expect(codes(`${BASE} boards: ["esp32"], entry: "${entry}"`)).toEqual(valid ? [] : ["GEN_OTA_0208"]);
  });

  it.each(["ota", "ota_fetch", "OTA", "ota.app", "otaapp", "boot", "Boot.main"])("entry %j is the updater's or the firmware's: refused", (entry) => {
    const issues = check(`${BASE} boards: ["esp32"], entry: "${entry}"`);
    expect(issues.map((issue) => issue.code)).toEqual(["GEN_OTA_0224"]);
    expect(issues[0]?.message).toMatch(/would import (the updater|\/boot\.py), not the app/);
  });

  it.each(["main", "app.ota", "booting", "notaapp", "lib.boot"])("entry %j is the app's own", (entry) => {
    expect(codes(`${BASE} boards: ["esp32"], entry: "${entry}"`)).toEqual([]);
  });

  it.each([
    ["", "repository's root", null],
    [".", "repository's root", null],
    ["/firmware/app", "starts with a slash", 'write "firmware/app"'],
    ["./firmware/app", "'.' segment", 'write "firmware/app"'],
    ["firmware/../app", "'..' segment", null],
    ["firmware\\\\app", "backslash", 'write "firmware/app"'],
    ["firmware/app/", "ends with a slash", 'write "firmware/app"'],
    ["firmware//app", "empty segment", 'write "firmware/app"'],
    ["my app", "has 'my app'", null],
    ["f\u00fcr/app", "letters, digits and - . _ ~", null],
  ])("appPath %j: %s", (path, problem, hint) => {
    const issues = check(`${BASE} boards: ["esp32"], appPath: "${path}"`);
    expect(issues.map((issue) => [issue.code, issue.message])).toEqual([["GEN_OTA_0223", expect.stringContaining(problem)]]);
    expect(issues[0]?.hint).toBe(hint ?? 'the app\'s folder from the repository\'s root, e.g. "firmware/app" (not from the config file)');
  });

  it.each(["firmware/app", "app", "a.b/c-d_e~f"])("appPath %j is fine", (path) => {
    expect(codes(`${BASE} boards: ["esp32"], appPath: "${path}"`)).toEqual([]);
  });

  it("refuses an appDir whose name cannot be the default appPath, unless appPath is given", () => {
    expect(codes('repo: "octo/lamp", appDir: "/my+app", boards: ["esp32"]')).toEqual(["GEN_OTA_0223"]);
    expect(codes('repo: "octo/lamp", appDir: "/my+app", appPath: "app", boards: ["esp32"]')).toEqual([]);
  });

  it.each([
    ["trialBoots: 1", []],
    ["trialBoots: 20", []],
    ["trialBoots: 21", ["GEN_OTA_0209"]],
    ["trialBoots: 2.5", ["GEN_OTA_0209"]],
    ["timeoutSeconds: 120", []],
    ["timeoutSeconds: 0.5", ["GEN_OTA_0210"]],
    ["timeoutSeconds: -1", ["GEN_OTA_0210"]],
  ])("%s -> %j", (field, expected) => {
    expect(codes(`${BASE} boards: ["esp32"], ${field}`)).toEqual(expected);
  });

  it.each([
    ['tagPrefix: ""', []],
    ['tagPrefix: "release-"', []],
    ['tagPrefix: "v "', ["GEN_OTA_0211"]],
    ['secretsFile: "/s.json"', []],
    ['secretsFile: "/etc/"', ["GEN_OTA_0216"]],
    ['secretsFile: "/project/s.json"', ["GEN_OTA_0219"]],
    ['secretsFile: "/ota.json"', ["GEN_OTA_0220"]],
    ['secretsFile: "/ota.json.tmp"', ["GEN_OTA_0220"]],
    ['secretsFile: "/OTA.JSON"', ["GEN_OTA_0220"]],
    ['secretsFile: "/next/s.json"', ["GEN_OTA_0220"]],
    ['secretsFile: "/prev/s.json"', ["GEN_OTA_0220"]],
    ['secretsFile: "/ota_trash/s.json"', ["GEN_OTA_0220"]],
    ['secretsFile: "/ota_secrets.py"', ["GEN_OTA_0220"]],
    ['secretsFile: "/main.py"', ["GEN_OTA_0220"]],
    ['secretsFile: "/boot.py"', ["GEN_OTA_0220"]],
    ['secretsFile: "/lib"', ["GEN_OTA_0220"]],
    ['secretsFile: "/lib/secrets.json"', []],
    ['tls: { caFile: "/certs/ca.pem" }', []],
    ['tls: { caFile: "certs/ca.pem" }', ["GEN_OTA_0221"]],
    ['tls: { caFile: "/project/ca.pem" }', ["GEN_OTA_0221"]],
    ['tls: { caFile: "/ota_ca.pem" }', ["GEN_OTA_0221"]],
  ])("%s -> %j", (field, expected) => {
    expect(codes(`${BASE} boards: ["esp32"], ${field}`)).toEqual(expected);
  });

  it.each([
    ['{ latest: "https://m.local/{repo}/{asset}" }', []],
    ['{ latest: "//m.local/{asset}" }', ["GEN_OTA_0212"]],
    ['{ latest: "https://{asset}" }', ["GEN_OTA_0212"]],
    ['{ latest: "https://m.local/{repo}/latest" }', ["GEN_OTA_0213"]],
    ['{ latest: "https://m.local/{tag}/{asset}" }', ["GEN_OTA_0214"]],
    ['{ release: "https://m.local/{tag}" }', ["GEN_OTA_0213"]],
    ['{ file: "https://m.local/{dir}/{path}" }', ["GEN_OTA_0213"]],
    ['{ file: "https://m.local/{tag}/{path}" }', []],
  ])("endpoints %s -> %j", (endpoints, expected) => {
    expect(codes(`${BASE} boards: ["esp32"], endpoints: ${endpoints}`)).toEqual(expected);
  });
});

describe("secrets", () => {
  it("checks every secret name", () => {
    expect(
      codes(`${BASE} boards: ["esp32"], token: secret("gh-token"), wifi: { ssid: secret("1SSID"), password: secret("p") }, tls: { caFile: "/ca.pem" }`),
    ).toEqual(["GEN_OTA_0215", "GEN_OTA_0215", "GEN_OTA_0215"]);
  });

  it("warns that a Wi-Fi password given as a string goes into ota_main.py, and points at secret()", () => {
    const issues = check(`${BASE} boards: ["esp32"], wifi: { ssid: "workshop", password: "hunter2" }`);
    expect(issues.map((issue) => [issue.severity, issue.code])).toEqual([["warning", "GEN_OTA_0225"]]);
    expect(issues[0]?.message).toContain("written into the generated ota_main.py");
    expect(issues[0]?.hint).toContain('secret("WIFI_PASS")');
  });

  it.each([
    ['{ ssid: "workshop", password: secret("WIFI_PASS") }', ""],
    ['{ ssid: "cafe", password: "" }', "an open network"],
    ['{ ssid: secret("S"), password: secret("P") }, embedSecrets: ["P"]', "embedded on purpose"],
  ])("does not warn about wifi %s %s", (wifi) => {
    expect(codes(`${BASE} boards: ["esp32"], wifi: ${wifi}`, { P: "x" })).toEqual([]);
  });

  it("embeds only secrets the config uses and the environment sets", () => {
    const body = `${BASE} boards: ["esp32"], token: secret("GH_TOKEN"), embedSecrets: ["GH_TOKEN", "OTHER"], tls: { caFile: "/ca.pem" }`;
    expect(codes(body, { GH_TOKEN: "t" })).toEqual(["GEN_OTA_0217"]);
    expect(codes(body, {})).toEqual(["GEN_OTA_0218", "GEN_OTA_0217"]);
  });
});

describe("rules against targets", () => {
  const board = (name: string, has: Partial<Target["has"]>): Target => {
    const base = targets.get("esp32");
    if (base === undefined) throw new Error("esp32 target missing");
    return { ...base, name, has: { ...base.has, ...has } };
  };
  const boards = new Map<string, Target>([
    ["tls", board("tls", {})],
    ["no-tls", board("no-tls", { ssl: false })],
    ["flaky-tls", board("flaky-tls", { reliableTls: false })],
    ["no-wlan", board("no-wlan", { wlan: false })],
  ]);
  const MIRROR =
    'endpoints: { latest: "http://m/{asset}", release: "http://m/{tag}/{asset}", file: "http://m/{tag}/{path}" }';
  const severities = (body: string): string[] =>
    check(`${BASE} ${body}`, {}, boards).map((issue) => `${issue.severity} ${issue.code}`);

  it("reads the rules from target records, not board names", () => {
    expect(severities('boards: ["tls"]')).toEqual([]);
    expect(severities('boards: ["no-tls"]')).toEqual(["error GEN_OTA_0302"]);
    expect(severities('boards: ["flaky-tls"]')).toEqual(["warning GEN_OTA_0303"]);
    expect(severities(`boards: ["no-tls", "flaky-tls"], ${MIRROR}`)).toEqual([]);
  });

  it("names only the https endpoints", () => {
    const [issue] = check(`${BASE} boards: ["no-tls"], endpoints: { latest: "http://m/{asset}" }`, {}, boards);
    expect(issue?.message).toBe(
      "board 'no-tls' has no TLS, but endpoints release, file are https:// (GitHub's defaults)",
    );
    expect(issue?.hint).toContain("point endpoints at a plain-HTTP server");
  });

  it("warns that a token goes in clear over http://, and only then", () => {
    expect(severities(`boards: ["tls"], token: secret("GH_TOKEN"), ${MIRROR}`)).toEqual(["warning GEN_OTA_0301"]);
    expect(severities('boards: ["tls"], token: secret("GH_TOKEN"), tls: { caFile: "/ca.pem" }')).toEqual([]);
    expect(severities('boards: ["no-tls"], token: secret("GH_TOKEN")')).toEqual(["error GEN_OTA_0302"]);
  });

  it("warns that main.py skips Wi-Fi on boards without WLAN", () => {
    const issues = check(`${BASE} boards: ["tls", "no-wlan"], wifi: { ssid: "a", password: secret("B") }`, {}, boards);
    expect(issues.map((issue) => [issue.severity, issue.code, issue.message])).toEqual([
      ["warning", "GEN_OTA_0304", "main.py will skip Wi-Fi on no-wlan: no network.WLAN there"],
    ]);
  });

  it("flags the real unix and esp8266 records", () => {
    expect(codes(`${BASE} boards: ["unix", "esp8266"], minFirmware: "1.19"`)).toEqual(["GEN_OTA_0302", "GEN_OTA_0303"]);
  });

  it("judges the real esp8266 on every firmware measured from its oldest (1.13), where its .mpy output fits", () => {
    // the bound on 1.13 is the larger: the same config then fits whatever minFirmware says
    const [py, mpy] = heapEstimates(targets.get("esp8266")!);
    expect([py!.form, py!.firmware, mpy!.form, mpy!.firmware]).toEqual(["py", "1.13.0", "mpy", "1.13.0"]);
    expect(mpy!.bound).toBeGreaterThan(heapEstimates(targets.get("esp8266")!, measuredHeap(), "1.19")[1]!.bound);
    for (const minFirmware of ["", ', minFirmware: "1.9"', ', minFirmware: "1.13"', ', minFirmware: "1.19"']) {
      expect(codes(`${BASE} boards: ["esp8266"]${minFirmware}`)).not.toContain("GEN_OTA_0305");
    }
  });
});

describe("tls", () => {
  it("warns where certificates cannot be checked", () => {
    expect(codes(`${BASE} boards: ["esp8266"], tls: { caFile: "/ca.pem" }`)).toContain("GEN_OTA_0307");
    const plain = '{ latest: "http://m.local/{repo}/{asset}", release: "http://m.local/{repo}/{tag}/{asset}", file: "http://m.local/{repo}/{tag}/{dir}/{path}" }';
    expect(codes(`${BASE} boards: ["esp32"], endpoints: ${plain}, tls: { caFile: "/ca.pem" }`)).toEqual(["GEN_OTA_0307"]);
    expect(codes(`${BASE} boards: ["esp32", "rp2-pico-w"], tls: { caFile: "/ca.pem" }`)).toEqual([]);
  });

  it("warns when a token goes over TLS that no one checks", () => {
    const token = 'token: secret("GITHUB_TOKEN")';
    expect(check(`${BASE} boards: ["esp32"], ${token}`, {}).map((issue) => [issue.code, issue.message])).toEqual([
      ["GEN_OTA_0308", "token sent over TLS that is not checked on esp32: tls.caFile is not set"],
    ]);
    expect(codes(`${BASE} boards: ["esp32", "rp2-pico-w"], ${token}, tls: { caFile: "/ca.pem" }`)).toEqual([]);
    const withEsp8266 = check(`${BASE} boards: ["esp32", "esp8266"], ${token}, tls: { caFile: "/ca.pem" }`, {});
    expect(withEsp8266.filter((issue) => issue.code === "GEN_OTA_0308").map((issue) => issue.message)).toEqual([
      "token sent over TLS that is not checked on esp8266: axTLS cannot check certificates",
    ]);
    const plain = '{ latest: "http://m.local/{repo}/{asset}", release: "http://m.local/{repo}/{tag}/{asset}", file: "http://m.local/{repo}/{tag}/{dir}/{path}" }';
    expect(codes(`${BASE} boards: ["esp32"], endpoints: ${plain}, ${token}`)).not.toContain("GEN_OTA_0308");
  });
});
