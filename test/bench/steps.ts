/**
 * Where an update on boot peaks: least heap of the update stopped before each module it borrows
 * (that module replaced by one that raises at import), then of the whole update (a development aid:
 * [LARGER=1] [DELTA=1] [DIRECT=1] [FIRMWARE=1.13.0] node --import ./test/bench/ts-loader.mjs test/bench/steps.ts esp8266 py [modules|none]).
 */
import { targets } from "../../targets/index.js";
import { mpyOf, BOOT_SNIPPET } from "../runtime/updater.js";
import { FIRMWARES, firmwareImage, runtimeOrSkip } from "../runtime/firmware.js";
import { benchApp, DELTA_FILE, largerBenchApp } from "./app.js";
import { minHeap } from "./bisect.js";
import { startBenchServer } from "./server.js";
import { genOta } from "./subjects.js";

const board = targets.get(process.argv[2] ?? "esp8266")!;
const variant = (process.argv[3] ?? "mpy") as "py" | "mpy";
const larger = process.env.LARGER === "1"; // the 33-file app (3.9 KB manifest)
const server = await startBenchServer({ releases: [larger ? largerBenchApp("1.0.0") : benchApp("1.0.0")] });
// FIRMWARE=1.13.0: on that firmware's port (its GEN_OTA_MICROPYTHON_* variable), at its ABI
const firmware = FIRMWARES.find((f) => f.version === (process.env.FIRMWARE ?? "1.25.0"))!;
const image = firmwareImage(board, firmware, runtimeOrSkip(firmware));
const device = await genOta.flash(board, variant, server, image);
// DELTA=1: the bench's one-file delta, on a device that runs 1.0.0
const delta = process.env.DELTA === "1";
if (delta) {
  await genOta.install(device);
  server.publish(benchApp("1.0.1", [DELTA_FILE]));
}
const version = delta ? "1.0.1" : "1.0.0";
// DIRECT=1: ota.update() called from a snippet's top level, not on boot
const direct = process.env.DIRECT === "1";
const snippet = direct ? "import ota\nprint('BENCH staged', ota.update())" : BOOT_SNIPPET;
const stoppedAt = (module: string) => ({
  snippet,
  ok: (result: { output: string[] }) => result.output.some((line) => line.includes(`BENCH at ${module}`)),
});
const modules = process.argv[4] ?? "ota_fetch,ota_verify,ota_sha512,ota_ed25519,ota_outline,ota_manifest,ota_prepare,ota_stage";
for (const module of modules === "none" ? [] : modules.split(",")) {
  const stub = `raise OSError('BENCH at ${module}')\n`;
  const copy = await device.copy();
  if (variant === "py") await copy.put(Buffer.from(stub), `/${module}.py`);
  else await copy.put(await mpyOf(stub, `${module}.py`, firmware.abi), `/${module}.mpy`);
  console.log(`before ${module}`.padEnd(28), await minHeap(copy, stoppedAt(module)));
  await copy.dispose();
}
const whole = direct ? { snippet, ok: (result: { output: string[] }) => result.output.includes(`BENCH staged ${version}`) } : genOta.probe("full", version);
console.log((delta ? "delta" : "full").padEnd(28), await minHeap(device, whole));
await server.close();
