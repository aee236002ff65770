// A lab rig on MicroPython's unix port: it stays on release 1.4.2 until the app asks to update.
// The port has no Wi-Fi and no machine.reset, so main.py neither connects nor reboots: a staged
// version runs when the rig's process is next started. Releases come from a plain-HTTP mirror on
// the lab network, unsigned, which is for a development rig only (gen-ota warns, GEN_OTA_0306).
import { defineConfig } from "gen-ota";

const mirror = "http://10.0.0.2:8080/unix-lab";

export default defineConfig({
  repo: "example-org/unix-lab",
  appDir: "/lab",
  boards: ["unix"],
  version: "1.4.2",
  update: "manual",
  endpoints: {
    latest: `${mirror}/latest/{asset}`,
    release: `${mirror}/{tag}/{asset}`,
    file: `${mirror}/{tag}/files/{path}`,
  },
  signing: { allowUnsigned: true },
});
