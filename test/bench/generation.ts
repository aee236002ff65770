/** Cold generation time: a fresh `node dist/generator/cli.js` process per run, next to `node -e ''` in the same run. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../generator/paths.js";
import { median } from "./measure.js";

const RUNS = 5;

function timeProcess(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: packageRoot(), encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`bench: node ${args.join(" ")} exited ${result.status}\n${result.stdout}${result.stderr}`);
  return ms;
}

/** Median ms of `node -e ''`, of generating every board of `config`, and of the same with --mpy; runs interleaved. */
export function generationTimes(config: string): { node: number; generate: number; generateMpy: number } {
  const out = mkdtempSync(join(tmpdir(), "gen-ota-bench-out-"));
  const node: number[] = [];
  const generate: number[] = [];
  const generateMpy: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      node.push(timeProcess(["-e", ""]));
      generate.push(timeProcess(["dist/generator/cli.js", "--config", config, "--out", out]));
      generateMpy.push(timeProcess(["dist/generator/cli.js", "--config", config, "--out", out, "--mpy-abi", "6"]));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return { node: median(node), generate: median(generate), generateMpy: median(generateMpy) };
}
