// A soak-test rig on MicroPython's unix port that looks for a new release at every start, from a
// plain-HTTP mirror on the lab network. The port has no Wi-Fi and no machine.reset: main.py stages
// a new version and says so, and it runs when the rig's process is next started.
import { defineConfig } from "gen-ota";

const mirror = "http://10.0.0.2:8080/unix-rig";

export default defineConfig({
  repo: "example-org/unix-rig",
  appDir: "/rig",
  boards: ["unix"],
  version: "latest",
  entry: "soak",
  endpoints: {
    latest: `${mirror}/latest/{asset}`,
    release: `${mirror}/{tag}/{asset}`,
    file: `${mirror}/{tag}/files/{path}`,
  },
  // Ed25519 keys from gen-ota keygen: the mirror is plain HTTP, so signatures keep the files honest.
  signing: {
    publicKeys: ["WpoiDhZAdD6kDF80ilS5Q4wa4o4nA2+uhME7DKQdNL0=", "VsyuS4v/vfmQ1smgjB9BllnyfH/LXwmlck1F2ImDW0s="],
  },
});
