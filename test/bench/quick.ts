/** Least heap of gen-ota's full update and delta for some boards (a development aid). */
import { targets } from "../../targets/index.js";
import { benchApp, DELTA_FILE } from "./app.js";
import { minHeap } from "./bisect.js";
import { startBenchServer } from "./server.js";
import { genOta } from "./subjects.js";
for (const name of (process.argv[2] ?? "esp8266,esp32,rp2-pico-w").split(",")) {
  for (const variant of (process.argv[3] ?? "mpy").split(",") as ("py" | "mpy")[]) {
    const board = targets.get(name)!;
    const server = await startBenchServer({ releases: [benchApp("1.0.0")] });
    const fresh = await genOta.flash(board, variant, server);
    const full = await minHeap(fresh, genOta.probe("full", "1.0.0"));
    const current = await fresh.copy();
    await genOta.install(current);
    const check = await minHeap(current, genOta.probe("check", ""));
    server.publish(benchApp("1.0.1", [DELTA_FILE]));
    const delta = await minHeap(current, genOta.probe("delta", "1.0.1"));
    console.log(name, variant, { check, full, delta });
    await server.close();
  }
}
