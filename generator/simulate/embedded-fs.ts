/**
 * The simulated flash of the embedded runtime: the port's own root filesystem (Emscripten's MEMFS,
 * which its VfsPosix mounts at `/`), laid out from the durable image, whose every change is told
 * to the FlashModel (flash.ts) that counts block writes and cuts the power. It is the root itself,
 * not a directory mounted with `VfsPosix(root)`: that form's rename reuses one path buffer for
 * both names in MicroPython 1.27, so every rename fails with ENOENT.
 */

import { FlashModel } from "./flash.js";
import type { EmFs, EmNode, EmStream } from "./wasm.js";

const O_ACCMODE = 3;

type Ops = Record<string, (...args: never[]) => unknown>;

/** Makes the port's root the flash: fills it from `model.image` (not counted) and reports every change to `model`. */
export function mountFlash(fs: EmFs, model: FlashModel): void {
  const memfs = fs.filesystems.MEMFS;
  const root = fs.lookupPath("/").node;
  const devicePath = (node: EmNode): string => fs.getPath(node) || "/";
  const childPath = (dir: EmNode, name: string): string => `${devicePath(dir) === "/" ? "" : devicePath(dir)}/${name}`;
  const unflushed = new WeakMap<EmStream, number>();

  const baseDir = root.node_ops as Ops;
  let dirOps: Ops;
  let fileOps: Ops | undefined;
  let fileStreamOps: Ops | undefined;
  const decorate = (node: EmNode): EmNode => {
    if (fs.isDir(node.mode)) {
      node.node_ops = dirOps;
    } else if (fs.isFile(node.mode)) {
      fileOps ??= wrapFileOps(node.node_ops as Ops);
      fileStreamOps ??= wrapFileStreamOps(node.stream_ops as Ops);
      node.node_ops = fileOps;
      node.stream_ops = fileStreamOps;
    }
    return node;
  };
  const call = (ops: Ops, name: string, args: unknown[]): unknown => (ops[name] as (...a: unknown[]) => unknown)(...args);
  const isDirAt = (dir: EmNode, name: string): boolean => {
    try {
      return fs.isDir((call(baseDir, "lookup", [dir, name]) as EmNode).mode);
    } catch {
      return false;
    }
  };

  dirOps = {
    ...baseDir,
    mknod: ((parent: EmNode, name: string, mode: number, dev: number) => {
      const node = decorate(call(baseDir, "mknod", [parent, name, mode, dev]) as EmNode);
      const path = childPath(parent, name);
      if (fs.isDir(mode)) model.mkdir(path);
      else model.created(path);
      return node;
    }) as Ops[string],
    rename: ((node: EmNode, newDir: EmNode, newName: string) => {
      const from = devicePath(node);
      const to = childPath(newDir, newName);
      if (model.filesystem === "fat" && isDirAt(newDir, newName)) throw new fs.ErrnoError(31); // VfsFat removes only a file in the way: EISDIR
      call(baseDir, "rename", [node, newDir, newName]);
      model.renamed(from, to);
    }) as Ops[string],
    unlink: ((parent: EmNode, name: string) => {
      call(baseDir, "unlink", [parent, name]);
      model.removed(childPath(parent, name));
    }) as Ops[string],
    rmdir: ((parent: EmNode, name: string) => {
      call(baseDir, "rmdir", [parent, name]);
      model.removed(childPath(parent, name));
    }) as Ops[string],
  };

  const wrapFileOps = (base: Ops): Ops => ({
    ...base,
    setattr: ((node: EmNode, attr: { size?: number }) => {
      call(base, "setattr", [node, attr]);
      if (attr.size === 0) model.truncated(devicePath(node));
    }) as Ops[string],
  });

  const wrapFileStreamOps = (base: Ops): Ops => ({
    ...base,
    open: ((stream: EmStream) => {
      if ((stream.flags & O_ACCMODE) !== 0) unflushed.set(stream, 0);
      if (base["open"]) call(base, "open", [stream]);
    }) as Ops[string],
    write: ((stream: EmStream, buffer: unknown, offset: number, length: number, position: number, canOwn: boolean) => {
      const written = call(base, "write", [stream, buffer, offset, length, position, canOwn]) as number;
      const before = unflushed.get(stream) ?? 0;
      unflushed.set(stream, before + written);
      model.dataWritten(before, written);
      return written;
    }) as Ops[string],
    close: ((stream: EmStream) => {
      if (base["close"]) call(base, "close", [stream]);
      const pending = unflushed.get(stream);
      if (pending === undefined) return;
      unflushed.delete(stream);
      model.closed(devicePath(stream.node), memfs.getFileDataAsTypedArray(stream.node), pending);
    }) as Ops[string],
  });

  root.node_ops = dirOps;
  const counting = model.counting;
  model.counting = false;
  try {
    const entries = [...model.image.entries()].sort(([a], [b]) => a.split("/").length - b.split("/").length || (a < b ? -1 : 1));
    for (const [path, content] of entries) {
      if (content === null) fs.mkdir(path);
      else fs.writeFile(path, content);
    }
  } finally {
    model.counting = counting;
  }
}
