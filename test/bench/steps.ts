/**
 * Where an update on boot peaks: least heap of the update stopped before each module it borrows
 * (that module replaced by one that raises at import), then of the whole update (a development aid:
 * [LARGER=1] [FIRMWARE=1.13.0] node --import ./test/bench/ts-loader.mjs test/bench/steps.ts esp8266 py [modules]).
 */
import { targets } from "../../targets/index.js";
import { mpyOf, BOOT_SNIPPET } from "../runtime/updater.js";
import { FIRMWARES, firmwareImage, runtimeOrSkip } from "../runtime/firmware.js";
import { benchApp, largerBenchApp } from "./app.js";
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
const fresh = await genOta.flash(board, variant, server, image);
const stoppedAt = (module: string) => ({
  snippet: BOOT_SNIPPET,
  ok: (result: { output: string[] }) => result.output.some((line) => line.includes(`BENCH at ${module}`)),
});
for (const module of (process.argv[4] ?? "ota_fetch,ota_verify,ota_sha512,ota_ed25519,ota_outline,ota_manifest,ota_prepare,ota_stage").split(",")) {
  const stub = `raise OSError('BENCH at ${module}')\n`;
  const copy = await fresh.copy();
  if (variant === "py") await copy.put(Buffer.from(stub), `/${module}.py`);
  else await copy.put(await mpyOf(stub, `${module}.py`, firmware.abi), `/${module}.mpy`);
  console.log(`before ${module}`.padEnd(28), await minHeap(copy, stoppedAt(module)));
  await copy.dispose();
}
console.log("full".padEnd(28), await minHeap(fresh, genOta.probe("full", "1.0.0")));
await server.close();
