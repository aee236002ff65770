/**
 * What survives a power cut, for the embedded runtime: a model of the board's flash filesystem
 * at the level of its block writes. MicroPython's WebAssembly port has no littlefs or FAT, so the
 * simulator keeps the files in memory and this model decides, write by write, what a cut leaves:
 *
 * - littlefs2: copy-on-write. Creating, removing, renaming and making a directory are each one
 *   atomic commit; a file's data goes to new blocks (one write per block) and becomes the file's
 *   content only at the commit that closes it.
 * - FAT: in place. Opening a file for writing empties it at once; data blocks are written as the
 *   file grows, but its size in the directory entry changes only when it is closed; a rename
 *   onto an existing file removes the target first, and a rename across directories writes the
 *   new entry before removing the old one.
 */

/** The files a cut leaves, by absolute device path; a directory maps to null. */
export type FlashImage = Map<string, Uint8Array | null>;

/** Thrown (in JavaScript, through the WebAssembly frames) at the write where the power goes. */
export class PowerCut extends Error {
  constructor(readonly atWrite: number) {
    super(`power cut at block write ${atWrite}`);
    this.name = "PowerCut";
  }
}

/** A file or directory path's parent directory ("/" for top-level entries). */
export function parentOf(path: string): string {
  const at = path.lastIndexOf("/");
  return at <= 0 ? "/" : path.slice(0, at);
}

/** `path` and everything below it. */
function subtree(image: FlashImage, path: string): string[] {
  return [...image.keys()].filter((key) => key === path || key.startsWith(`${path}/`));
}

/** The model for one boot: the durable image it changes, the writes so far, where to cut. */
export class FlashModel {
  /** Block writes performed so far (over every boot that shares this model). */
  writes = 0;
  /** Off while the simulator lays the image out in the live filesystem: nothing is counted or changed. */
  counting = true;

  constructor(
    readonly filesystem: "littlefs2" | "fat",
    readonly blockSize: number,
    /** The durable state, changed in place. */
    readonly image: FlashImage,
    /** Cut once this many writes were performed (the last one lands); 0 drops the first; null never. */
    readonly cutAt: number | null = null,
  ) {}

  /** One block write, applying `land` to the durable image; the cut point throws PowerCut. */
  private write(land?: () => void): void {
    if (!this.counting) return; // the image already holds what is being laid out
    if (this.cutAt === 0 || (this.cutAt !== null && this.writes >= this.cutAt)) throw new PowerCut(this.writes);
    land?.();
    this.writes++;
    if (this.writes === this.cutAt) throw new PowerCut(this.writes);
  }

  /** A new, empty file. */
  created(path: string): void {
    this.write(() => this.image.set(path, new Uint8Array(0)));
  }

  /** An existing file opened for writing (O_TRUNC): FAT frees its data at once, littlefs at the close. */
  truncated(path: string): void {
    if (this.filesystem === "fat") this.write(() => this.image.set(path, new Uint8Array(0)));
  }

  /** `bytes` more data written to an open file that already held `before` unflushed bytes. */
  dataWritten(before: number, bytes: number): void {
    const blocks = Math.floor((before + bytes) / this.blockSize) - Math.floor(before / this.blockSize);
    for (let i = 0; i < blocks; i++) this.write();
  }

  /** A file written to and closed: its last partial block, then the commit of its content. */
  closed(path: string, content: Uint8Array, unflushed: number): void {
    if (unflushed % this.blockSize !== 0) this.write();
    this.write(() => this.image.set(path, content.slice()));
  }

  /** A new directory. */
  mkdir(path: string): void {
    this.write(() => this.image.set(path, null));
  }

  /** A file or an empty directory removed. */
  removed(path: string): void {
    this.write(() => {
      for (const key of subtree(this.image, path)) this.image.delete(key);
    });
  }

  /** `from` renamed to `to` (checks of the names were made by the caller). */
  renamed(from: string, to: string): void {
    const move = (): void => {
      const moved = subtree(this.image, from).map((key) => [key, this.image.get(key) ?? null] as const);
      for (const key of subtree(this.image, to)) this.image.delete(key);
      for (const [key] of moved) this.image.delete(key);
      for (const [key, value] of moved) this.image.set(to + key.slice(from.length), value);
    };
    if (this.filesystem === "littlefs2") {
      this.write(move);
      return;
    }
    if (this.image.has(to)) this.removed(to); // VfsFat: remove the target, then rename
    if (parentOf(from) === parentOf(to)) {
      this.write(move); // one directory sector
      return;
    }
    // The new entry first (both names point at the same data), then the old one removed.
    this.write(() => {
      for (const key of subtree(this.image, from)) this.image.set(to + key.slice(from.length), this.image.get(key) ?? null);
    });
    this.write(() => {
      for (const key of subtree(this.image, from)) this.image.delete(key);
    });
  }
}
