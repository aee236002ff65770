/** One decision of TLS: an endpoint's scheme in any case, in the generator and on the device. */
import { usesTls } from "../../generator/config/endpoints.js";
import type { ResolvedConfig } from "../../generator/config/resolved.js";
import { generateBoard } from "../../generator/generate.js";
import { targets } from "../../targets/index.js";

const config = (endpoints: ResolvedConfig["endpoints"], tls?: ResolvedConfig["tls"]): ResolvedConfig => ({
  repo: "octo/lamp",
  appDir: "/project",
  appPath: "project",
  boards: ["esp32"],
  version: { kind: "latest" },
  entry: "main",
  wifi: null,
  token: null,
  endpoints,
  tagPrefix: "v",
  trialBoots: 3,
  trialSeconds: 120,
  watchdog: "hardware",
  signing: { publicKeys: [], allowUnsigned: true },
  update: "boot",
  timeoutSeconds: 10,
  secretsFile: "/secrets.json",
  configHash: "0".repeat(64),
  configPath: "ota.config.ts",
  ...(tls ? { tls } : {}),
});

const httpFile = (resolved: ResolvedConfig): string =>
  String(generateBoard(resolved, targets.get("esp32")!).find((file) => file.name === "ota_http.py")?.contents);

describe("scheme case", () => {
  it.each([
    ["https://h/x", true],
    ["HTTPS://h/x", true],
    ["Https://h/x", true],
    ["http://h/x", false],
    ["HTTP://h/x", false],
  ])("usesTls(%j) is %s", (url, tls) => {
    expect(usesTls(url)).toBe(tls);
  });

  it("an endpoint written HTTPS:// brings TLS into the device code", () => {
    const upper = httpFile(config({ latest: "HTTPS://m.local/{asset}", release: "http://m.local/{tag}/{asset}", file: "http://m.local/{tag}/{path}" }));
    expect(upper).toContain("import ssl");
    expect(upper).toContain("sock = ssl.wrap_socket(sock, server_hostname=host)");
    const plain = httpFile(config({ latest: "http://m.local/{asset}", release: "http://m.local/{tag}/{asset}", file: "http://m.local/{tag}/{path}" }));
    expect(plain).not.toContain("import ssl");
    expect(plain).toContain('raise OtaError("no TLS on this board: " + url)');
  });

  it("the device's _split_url takes the scheme in any case", () => {
    const code = httpFile(config({ latest: "https://m.local/{asset}", release: "https://m.local/{tag}/{asset}", file: "https://m.local/{tag}/{path}" }));
    expect(code).toContain("scheme = url[:start - 3].lower()");
  });

  it("tls.caFile checks certificates with CERT_REQUIRED where the board can", () => {
    const https = { latest: "https://m.local/{asset}", release: "https://m.local/{tag}/{asset}", file: "https://m.local/{tag}/{path}" };
    const code = httpFile(config(https, { caFile: "/certs/ca.pem" }));
    expect(code).toContain('CA_FILE = "/certs/ca.pem"');
    expect(code).toContain("context.verify_mode = ssl.CERT_REQUIRED");
    expect(httpFile(config(https))).not.toContain("CERT_REQUIRED");
    const esp8266 = generateBoard({ ...config(https, { caFile: "/certs/ca.pem" }), boards: ["esp8266"] }, targets.get("esp8266")!);
    expect(String(esp8266.find((file) => file.name === "ota_http.py")?.contents)).not.toContain("CERT_REQUIRED");
  });
});
