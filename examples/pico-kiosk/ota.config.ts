// A museum kiosk on a Raspberry Pi Pico W that updates at every boot from a public GitHub repo.
// Its releases are signed, and that is what keeps other people's code off it: without a
// tls.caFile the server's certificate is not checked, and with a public repo there is no token
// on the wire to lose (docs/security.md).
import { defineConfig, secret } from "gen-ota";

export default defineConfig({
  repo: "example-org/pico-kiosk",
  appDir: "/kiosk",
  boards: ["rp2-pico-w"],
  version: "latest",
  entry: "kiosk",
  wifi: { ssid: secret("WIFI_SSID"), password: secret("WIFI_PASS") },
  // Ed25519 keys from gen-ota keygen: the first signs releases in CI, the second is an offline backup.
  signing: {
    publicKeys: ["D+U9Uo42MjVjHcS7r7pDUqnZHUCi4hIKXmc0fyL9bto=", "b+Egv9Rw5BfmhJTQ7b/fRHe72B36OoS6R9CpGTATA4c="],
  },
});
