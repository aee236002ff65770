/** Where the heap goes: least heap of cumulative steps of a gen-ota update (a development aid: node --import ./test/bench/ts-loader.mjs test/bench/profile.ts esp8266 mpy). */
import { targets } from "../../targets/index.js";
import { benchApp, DELTA_FILE } from "./app.js";
import { minHeap } from "./bisect.js";
import { startBenchServer } from "./server.js";
import { genOta } from "./subjects.js";
import { runSnippet } from "./runner.js";

const board = targets.get(process.argv[2] ?? "esp8266")!;
const variant = (process.argv[3] ?? "mpy") as "py" | "mpy";
const server = await startBenchServer({ releases: [benchApp("1.0.0")] });
const fresh = await genOta.flash(board, variant, server);
const ok = (r: { output: string[] }) => r.output.includes("BENCH ok");
const steps: Record<string, string> = {
  "import ota": "import ota",
  "+ota_http": "import ota, ota_http",
  "+ota_http,ota_fetch": "import ota, ota_http, ota_fetch",
  "+ota_http,ota_stage": "import ota, ota_http, ota_stage",
  "ota_outline": "import ota, ota_outline",
  "ota_manifest": "import ota, ota_manifest",
  "check": "import ota\nota.check()",
  "plan": "import ota\np = ota.borrow('ota_fetch', 'plan')\nassert p",
  "plan, manifest check": "import ota\np = ota.borrow('ota_fetch', 'plan')\nota._drop_shared()\nc = ota.borrow('ota_outline', 'check', p[1], p[0])\nc = ota.borrow('ota_manifest', 'validate', p[1], c)\nassert c",
  "full": "import ota\nassert ota.update()",
};
for (const [name, snippet] of Object.entries(steps)) {
  console.log(name.padEnd(28), await minHeap(fresh, { snippet: snippet + "\nprint('BENCH ok')", ok }));
}
if (process.argv[4]) {
  const r = await runSnippet(fresh, process.argv[4], 64 * 1024);
  console.log(r.stdout, r.stderr);
}
await server.close();
