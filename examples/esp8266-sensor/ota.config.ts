// An ESP8266 on MicroPython 1.19 or later that reports a temperature and updates itself.
// Its axTLS rarely completes a TLS handshake with GitHub, so it reads releases from a
// plain-HTTP mirror; a signed manifest and its sha256 hashes keep the files honest.
import { defineConfig, secret } from "gen-ota";

const mirror = "http://ota.example.net/sensor";

export default defineConfig({
  repo: "example-org/esp8266-sensor",
  appDir: "/project",
  boards: ["esp8266"],
  // these boards run 1.19 or later: the heap check need not judge them on 1.13, and --mpy
  // compiles for the one .mpy ABI they load (6; 1.13 to 1.18 load 5)
  minFirmware: "1.19",
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
  // Ed25519 keys from gen-ota keygen: the mirror is plain HTTP, so signatures are what keep
  // anyone on the path from installing code. The first signs releases in CI; the second is an
  // offline backup.
  signing: {
    publicKeys: ["ztS+lZnpNa8sMi8njtYX1+3Xh3hPAATtX96ZmLf5A4U=", "11UOPaVtC5tDPV9aTydKh0QSo06oSJ2lIWjZOfPtg7E="],
  },
});
