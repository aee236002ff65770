/** The updaters the benchmark measures: gen-ota's generated one and the plain baseline, on one board. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ResolvedConfig } from "../../generator/config/resolved.js";
import type { Target } from "../../targets/index.js";
import { Device } from "../runtime/device.js";
import type { GithubServer } from "../runtime/server.js";
import { BOOT_SNIPPET, flashDevice, mpyOf, testConfig, type ImageOptions, type Variant } from "../runtime/updater.js";
import { minHeap, type Probe } from "./bisect.js";
import { runSnippet, type Run } from "./runner.js";
import type { BenchServer } from "./server.js";

/** What the benchmark asks each updater to do. */
export type Operation = "import" | "check" | "full" | "delta";
export const OPERATIONS: readonly Operation[] = ["import", "check", "full", "delta"];

export interface Subject {
  name: "gen-ota" | "baseline";
  /** A fresh device of the board's filesystem with this updater on it and no app (another firmware with `image`). */
  flash(board: Target, variant: Variant, server: BenchServer, image?: ImageOptions): Promise<Device>;
  /** Brings the device to run the server's latest version (update, then switch). */
  install(device: Device): Promise<void>;
  /** The probe for an operation; `version` is what a full or delta update must end with. */
  probe(operation: Operation, version: string): Probe;
}

const here = (name: string): string => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** Lines that say an updater swallowed an error (gen-ota logs and returns None). */
const failed = (result: Run): boolean => result.output.some((line) => /failed|MemoryError/.test(line));
const printed = (line: string) => (result: Run): boolean => result.output.includes(line) && !failed(result);


/** Runs a setup step with room to spare (four times the board's heap budget). */
async function runOrThrow(device: Device, snippet: string): Promise<Run> {
  const result = await runSnippet(device, snippet, 4 * device.options.heapBytes);
  if (result.code !== 0 || failed(result)) throw new Error(`bench setup failed: ${snippet}\n${result.stdout}${result.stderr}`);
  return result;
}

/**
 * gen-ota's config for the bench server: every feature but TLS (a token, a version range, Wi-Fi,
 * update on boot), so that the heap measured bounds any feature set without TLS.
 */
export function benchConfig(board: Target, server: BenchServer): ResolvedConfig {
  return testConfig(board, server as unknown as GithubServer, {
    token: { kind: "secret", name: "GITHUB_TOKEN" },
    version: { kind: "range", range: "^1.0.0", min: "1.0.0", max: "2.0.0" },
  });
}

const SECRETS = JSON.stringify({ WIFI_SSID: "bench-net", WIFI_PASS: "bench-pass", GITHUB_TOKEN: "bench-token" });

/** The board's own filesystem and block size (ESP8266: FAT with 4096-byte sectors), on a 1 MiB image. */
const boardImage = (board: Target): { fs: "fat" | "lfs2"; blockSize: number } => ({
  fs: board.flash.filesystem === "fat" ? "fat" : "lfs2",
  blockSize: board.flash.blockSize,
});

/** An update as a board runs it: a power-on, main.py (ota.boot(), Wi-Fi, then ota.update()), and the reset into the staged version. */
const updateOnBoot = (version: string): Probe => ({
  snippet: BOOT_SNIPPET,
  ok: (result) => printed(`ota: rebooting into ${version}`)(result) && !result.output.some((line) => line.startsWith("ota: update stopped")),
});

export const genOta: Subject = {
  name: "gen-ota",
  flash: async (board, variant, server, image) => {
    const device = await flashDevice(benchConfig(board, server), board.name, variant, undefined, { ...boardImage(board), ...image });
    await device.writeFiles({ "/secrets.json": SECRETS });
    return device;
  },
  install: async (device) => {
    await runOrThrow(device, "import ota\nota.update()");
    await runOrThrow(device, "import ota\nota.boot()\nota.confirm()");
  },
  probe: (operation, version) => {
    switch (operation) {
      case "import":
        return { snippet: "import ota\nprint('BENCH ok')", ok: printed("BENCH ok") };
      case "check":
        return { snippet: "import ota\nprint('BENCH', ota.check())", ok: printed("BENCH None") };
      default:
        return updateOnBoot(version);
    }
  },
};

/**
 * gen-ota's update on boot up to its signature check, on a device from signatureCheckDevice: the
 * step after the check (ota_outline) cannot be imported, so the least heap of this probe is the
 * peak of planning and verifying alone.
 */
const SIGNATURE_CHECK_PROBE: Probe = {
  snippet: BOOT_SNIPPET,
  ok: (result) => result.output.some((line) => line.startsWith("ota: update stopped: ") && line.includes("BENCH verified")) && !failed(result),
};

/**
 * A copy of `device` (a fresh gen-ota device) whose ota_outline raises at import, which update()
 * reaches only once the signature holds. A module rather than a wrapper around ota.borrow set up
 * by the probe: that wrapper would run main.py one import deeper, and on the unix port each
 * import level holds a 4 KB path buffer on the C stack (a board's is 128 bytes), which ran esp32's
 * update out of stack.
 */
async function signatureCheckDevice(device: Device, variant: Variant, abi: 5 | 6 = 6): Promise<Device> {
  const stub = "raise OSError('BENCH verified')  # update() got past its signature check\n";
  const copy = await device.copy();
  if (variant === "py") await copy.put(Buffer.from(stub), "/ota_outline.py");
  else await copy.put(await mpyOf(stub, "ota_outline.py", abi), "/ota_outline.mpy");
  return copy;
}

/** Least heap of SIGNATURE_CHECK_PROBE on a signatureCheckDevice of `device`. */
export async function signatureCheckHeap(device: Device, variant: Variant, abi: 5 | 6 = 6): Promise<number | undefined> {
  const stubbed = await signatureCheckDevice(device, variant, abi);
  try {
    return await minHeap(stubbed, SIGNATURE_CHECK_PROBE);
  } finally {
    await stubbed.dispose();
  }
}

export const baseline: Subject = {
  name: "baseline",
  flash: async (board, variant, server) => {
    const source = readFileSync(here("baseline.py"), "utf8")
      .replace("@API@", `${server.url}/repos/${server.repo}`)
      .replace("@DIR@", server.dir);
    const device = await Device.create({ ...boardImage(board), heapBytes: board.heap.budgetBytes });
    await device.writeFiles(variant === "py" ? { "/baseline.py": source } : { "/baseline.mpy": await mpyOf(source, "baseline.py") });
    return device;
  },
  install: async (device) => {
    await runOrThrow(device, "import baseline\nbaseline.update()");
  },
  probe: (operation, version) => {
    switch (operation) {
      case "import":
        return { snippet: "import baseline\nprint('BENCH ok')", ok: printed("BENCH ok") };
      case "check":
        return { snippet: "import baseline\nprint('BENCH', baseline.check())", ok: printed("BENCH None") };
      default:
        return { snippet: "import baseline\nprint('BENCH', baseline.update())", ok: printed(`BENCH ${version}`) };
    }
  },
};

/** The floor: a fresh device with floor.mpy (or .py) that reads one chunk of `path` from the server. */
export async function floorDevice(board: Target, variant: Variant): Promise<Device> {
  const source = readFileSync(here("floor.py"), "utf8");
  const device = await Device.create({ ...boardImage(board), heapBytes: board.heap.budgetBytes });
  await device.writeFiles(variant === "py" ? { "/floor.py": source } : { "/floor.mpy": await mpyOf(source, "floor.py") });
  return device;
}

export function floorProbe(board: Target, server: BenchServer, path: string): Probe {
  const snippet = `import floor\nprint('BENCH', floor.run('127.0.0.1', ${server.port}, b'${path}', ${board.chunkSize}))`;
  return { snippet, ok: printed(`BENCH ${board.chunkSize}`) };
}
