// An ESP8266 on MicroPython 1.13 that reports a temperature and updates itself.
// Its axTLS rarely completes a TLS handshake with GitHub, so it reads releases from a
// plain-HTTP mirror; the manifest's sha256 hashes keep the files honest.
import { defineConfig, secret } from "gen-ota";

const mirror = "http://ota.example.net/sensor";

export default defineConfig({
  repo: "example-org/esp8266-sensor",
  appDir: "/project",
  boards: ["esp8266"],
  version: "latest",
  entry: "main",
  wifi: { ssid: secret("WIFI_SSID"), password: secret("WIFI_PASS") },
  endpoints: {
    latest: `${mirror}/latest/{asset}`,
    release: `${mirror}/{tag}/{asset}`,
    file: `${mirror}/{tag}/files/{path}`,
  },
  trialBoots: 3,
  timeoutSeconds: 8,
});
