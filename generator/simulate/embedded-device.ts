/** A simulated board on the embedded runtime: its flash image in memory, each boot a fresh WebAssembly MicroPython. */

import { createHash } from "node:crypto";
import type { Target } from "../../targets/index.js";
import { bootEmbedded } from "./embedded.js";
import { FlashModel, type FlashImage } from "./flash.js";
import type { GithubSite } from "./github.js";
import type { BootAction, BootResult } from "./runtime.js";
import { JOURNAL_SLOTS, journalState, type DeviceState, type SimDevice } from "./session.js";

/** A board whose flash is `image` (changed in place by its boots). */
export class EmbeddedDevice implements SimDevice {
  constructor(
    private readonly image: FlashImage,
    private readonly target: Target,
    private readonly site: GithubSite,
    private readonly heapBytes: number,
    private readonly bootTimeoutMs: number,
  ) {}

  /** One boot on a new MicroPython instance. */
  async boot(action: BootAction, cutAfter: number | null): Promise<BootResult & { writes: number }> {
    const model = new FlashModel(this.target.flash.filesystem, this.target.flash.blockSize, this.image, cutAfter);
    const result = await bootEmbedded({ model, site: this.site, socketModule: this.target.modules.socket, heapBytes: this.heapBytes, action, timeoutMs: this.bootTimeoutMs });
    return { ...result, writes: model.writes };
  }

  /** appDir's version and app files, and the journal's state, read from the image. */
  async appState(appDir: string): Promise<DeviceState> {
    const root = appDir.replace(/\/+$/, "");
    const version = this.image.get(`${root}/.version`);
    const files: Record<string, string> = {};
    for (const [path, content] of this.image) {
      if (content === null || !path.startsWith(`${root}/`)) continue;
      const rel = path.slice(root.length + 1);
      if (rel.split("/").some((part) => part.startsWith("."))) continue;
      files[rel] = createHash("sha256").update(content).digest("hex");
    }
    const text = (path: string): string | null => {
      const bytes = this.image.get(path);
      return bytes ? Buffer.from(bytes).toString("utf8") : null;
    };
    return { version: version ? Buffer.from(version).toString("utf8").trim() : null, files, journal: journalState(JOURNAL_SLOTS.map(text)) };
  }

  /** A board with a copy of this image. */
  async fork(): Promise<SimDevice> {
    return new EmbeddedDevice(new Map(this.image), this.target, this.site, this.heapBytes, this.bootTimeoutMs);
  }

  /** Nothing to release: the image is garbage once unreferenced. */
  async dispose(): Promise<void> {}
}
