/** The board as flashed before the simulated update: the generated updater pointed at the simulator, secrets, and the old version installed. */

import type { Target } from "../../targets/index.js";
import type { DeviceString, ResolvedConfig } from "../config/resolved.js";
import { generateBoard } from "../generate.js";
import type { FlashImage } from "./flash.js";
import type { SimRelease } from "./versions.js";

/** The config's endpoints, replaced by the simulated site's at `origin` (e.g. `http://127.0.0.1:8080`). */
export function simulatedEndpoints(config: ResolvedConfig, origin: string): ResolvedConfig["endpoints"] {
  return {
    latest: `${origin}/${config.repo}/releases/latest/download/{asset}`,
    release: `${origin}/${config.repo}/releases/download/{tag}/{asset}`,
    file: `${origin}/raw/${config.repo}/{tag}/${config.appPath}/{path}`,
  };
}

/**
 * The files `generateBoard` renders for `target`, with the endpoints at `origin`. `publicKey`: the
 * one key the device trusts (the simulation's own, which signs its releases: the config's private
 * keys are not the simulator's); none: signatures are not checked, as on the embedded runtime,
 * whose heap bound would count every short-lived number of the check's arithmetic (it collects
 * only between top-level calls).
 */
export function simulatedUpdater(config: ResolvedConfig, target: Target, origin: string, publicKey?: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const signing = publicKey === undefined ? { publicKeys: [], allowUnsigned: true } : { publicKeys: [publicKey], allowUnsigned: false };
  for (const file of generateBoard({ ...config, endpoints: simulatedEndpoints(config, origin), signing }, target)) {
    files[`/${file.name}`] = typeof file.contents === "string" ? Buffer.from(file.contents, "utf8") : file.contents;
  }
  return files;
}

/** Every secret the config reads on the device, with a stand-in value. */
function secrets(config: ResolvedConfig): Record<string, string> {
  const named = [config.wifi?.ssid, config.wifi?.password, config.token].filter((value): value is DeviceString => value !== undefined && value !== null);
  return Object.fromEntries(named.filter((value) => value.kind === "secret").map((value) => [value.name, `simulated-${value.name.toLowerCase()}`]));
}

/** Adds `path` and its parent directories (as null) to `image`. */
function put(image: FlashImage, path: string, content: Uint8Array | null): void {
  const parts = path.split("/").filter(Boolean);
  for (let end = 1; end < parts.length; end++) {
    const dir = `/${parts.slice(0, end).join("/")}`;
    if (!image.has(dir)) image.set(dir, null);
  }
  image.set(path, content);
}

/** The flash image: `updater` files at the root, the secrets file, and `installed` in appDir with its `.version` and `.manifest`. */
export function initialImage(config: ResolvedConfig, updater: Record<string, Uint8Array>, installed: SimRelease): FlashImage {
  const image: FlashImage = new Map();
  for (const [path, content] of Object.entries(updater)) put(image, path, content);
  put(image, config.secretsFile, Buffer.from(JSON.stringify(secrets(config))));
  const appDir = config.appDir.replace(/\/+$/, "");
  put(image, appDir, null);
  for (const [path, content] of Object.entries(installed.files)) put(image, `${appDir}/${path}`, content);
  put(image, `${appDir}/.version`, Buffer.from(installed.version));
  put(image, `${appDir}/.manifest`, Buffer.from(installed.manifestJson));
  return image;
}
