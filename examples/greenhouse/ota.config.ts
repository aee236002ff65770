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
  // Ed25519 keys from gen-ota keygen: releases are signed in CI with the first (secret
  // OTA_SIGNING_KEY); the second is an offline backup.
  signing: {
    publicKeys: ["EUNc/5ZW+BOq8/6eAB/A1lJU0PVy8p0pOMbXPHA9HTA=", "ZfzWtX3BRe7HddnDROSYg07QEy8udc8S0c56xyHnBUQ="],
  },
  // GitHub's servers must chain to this CA (a device file, copied like secrets.json): checked on
  // firmware 1.22 and later
  tls: { caFile: "/certs/github-ca.pem" },
});
