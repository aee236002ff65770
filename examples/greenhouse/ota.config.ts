// A greenhouse controller on ESP32 and Raspberry Pi Pico W, updated from GitHub releases.
import { defineConfig, secret } from "gen-ota";

export default defineConfig({
  repo: "example-org/greenhouse",
  appDir: "/app",
  boards: ["esp32", "rp2-pico-w"],
  version: "^1.2",
  entry: "controller",
  wifi: { ssid: secret("WIFI_SSID"), password: secret("WIFI_PASS") },
  token: secret("GITHUB_TOKEN"),
  trialBoots: 2,
  update: "boot",
  // GitHub's servers must chain to this CA (a device file, copied like secrets.json): checked on
  // firmware 1.22 and later
  tls: { caFile: "/certs/github-ca.pem" },
});
