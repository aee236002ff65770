/**
 * Reads and pokes a FAT12/FAT16 image on the host, for the tests that need what no filesystem call
 * can make: directory entries no one wrote, as a power cut leaves them when FatFs links a new
 * cluster into a growing directory and the cut comes before it is zeroed (docs/protocol.md).
 */

const ENTRY = 32;
const ATTR_LFN = 0x0f;

export interface FatEntry {
  name: string;
  attr: number;
  cluster: number;
  size: number;
  /** Byte offset of the 32-byte short entry in the image. */
  offset: number;
}

interface Geometry {
  bytesPerSector: number;
  sectorsPerCluster: number;
  fatStart: number;
  rootStart: number;
  rootBytes: number;
  dataStart: number;
  fat12: boolean;
}

export class FatImage {
  private readonly geometry: Geometry;

  constructor(readonly bytes: Buffer) {
    const bytesPerSector = bytes.readUInt16LE(11);
    const sectorsPerCluster = bytes.readUInt8(13);
    const reserved = bytes.readUInt16LE(14);
    const fats = bytes.readUInt8(16);
    const rootEntries = bytes.readUInt16LE(17);
    const totalSectors = bytes.readUInt16LE(19) || bytes.readUInt32LE(32);
    const fatSectors = bytes.readUInt16LE(22);
    if (fatSectors === 0) throw new Error("FAT32 images are not read here");
    const rootSector = reserved + fats * fatSectors;
    const rootBytes = rootEntries * ENTRY;
    const dataSector = rootSector + Math.ceil(rootBytes / bytesPerSector);
    const clusters = Math.floor((totalSectors - dataSector) / sectorsPerCluster);
    this.geometry = {
      bytesPerSector,
      sectorsPerCluster,
      fatStart: reserved * bytesPerSector,
      rootStart: rootSector * bytesPerSector,
      rootBytes,
      dataStart: dataSector * bytesPerSector,
      fat12: clusters < 4085,
    };
  }

  get clusterBytes(): number {
    return this.geometry.bytesPerSector * this.geometry.sectorsPerCluster;
  }

  /** The FAT's entry for a cluster: 0 means free. */
  next(cluster: number): number {
    const { fatStart, fat12 } = this.geometry;
    if (!fat12) return this.bytes.readUInt16LE(fatStart + 2 * cluster);
    const word = this.bytes.readUInt16LE(fatStart + cluster + (cluster >> 1));
    return cluster & 1 ? word >> 4 : word & 0xfff;
  }

  /** The clusters of a chain, in order, stopping at its end or at a free cluster. */
  chain(first: number): number[] {
    const end = this.geometry.fat12 ? 0xff8 : 0xfff8;
    const clusters: number[] = [];
    for (let cluster = first; cluster >= 2 && cluster < end && clusters.length < 65536; cluster = this.next(cluster)) {
      clusters.push(cluster);
      if (this.next(cluster) === 0) break;
    }
    return clusters;
  }

  /** Byte ranges holding a directory's entries: the root's fixed area, or its cluster chain. */
  private directoryRanges(cluster: number): Array<[number, number]> {
    if (cluster === 0) return [[this.geometry.rootStart, this.geometry.rootStart + this.geometry.rootBytes]];
    return this.chain(cluster).map((c) => {
      const start = this.geometry.dataStart + (c - 2) * this.clusterBytes;
      return [start, start + this.clusterBytes];
    });
  }

  /** The entries of a directory as FatFs lists them (long names joined, deleted ones skipped). */
  entries(cluster: number): FatEntry[] {
    const found: FatEntry[] = [];
    let longName = "";
    for (const [start, end] of this.directoryRanges(cluster)) {
      for (let offset = start; offset < end; offset += ENTRY) {
        const first = this.bytes[offset]!;
        if (first === 0) return found;
        const attr = this.bytes[offset + 11]!;
        if (first === 0xe5) {
          longName = "";
        } else if ((attr & 0x3f) === ATTR_LFN) {
          const raw = Buffer.concat([this.bytes.subarray(offset + 1, offset + 11), this.bytes.subarray(offset + 14, offset + 26), this.bytes.subarray(offset + 28, offset + 32)]);
          longName = raw.toString("utf16le").split("\u0000")[0]! + longName;
        } else {
          const base = this.bytes.toString("latin1", offset, offset + 8).trimEnd();
          const ext = this.bytes.toString("latin1", offset + 8, offset + 11).trimEnd();
          const name = longName || (ext ? `${base}.${ext}` : base);
          longName = "";
          found.push({ name, attr, cluster: this.bytes.readUInt16LE(offset + 26), size: this.bytes.readUInt32LE(offset + 28), offset });
        }
      }
    }
    return found;
  }

  /** The entry at an absolute path, names compared in any case as FAT does. */
  find(path: string): FatEntry {
    let cluster = 0;
    let entry: FatEntry | undefined;
    for (const part of path.split("/").filter(Boolean)) {
      entry = this.entries(cluster).find((e) => e.name.toLowerCase() === part.toLowerCase());
      if (entry === undefined) throw new Error(`${path}: no ${part} on the image`);
      cluster = entry.cluster;
    }
    if (entry === undefined) throw new Error("the root has no entry");
    return entry;
  }

  /**
   * Writes a raw short entry into the directory at path, in its first unused slot: what a
   * directory reads when a cut left a stale cluster in its chain.
   */
  addRawEntry(directory: string, raw: Buffer): void {
    if (raw.length !== ENTRY) throw new Error("a directory entry is 32 bytes");
    const cluster = directory === "/" ? 0 : this.find(directory).cluster;
    for (const [start, end] of this.directoryRanges(cluster)) {
      for (let offset = start; offset < end; offset += ENTRY) {
        if (this.bytes[offset] === 0) {
          raw.copy(this.bytes, offset);
          return;
        }
      }
    }
    throw new Error(`${directory} has no unused entry left in its clusters`);
  }

  /** Problems with a file's chain: clusters the FAT marks free, or fewer clusters than its size needs. */
  chainProblems(path: string): string[] {
    const entry = this.find(path);
    const needed = Math.ceil(entry.size / this.clusterBytes);
    const problems: string[] = [];
    const clusters = this.chain(entry.cluster);
    const freed = clusters.filter((c) => this.next(c) === 0);
    if (freed.length > 0) problems.push(`${path}: cluster ${freed.join(", ")} marked free`);
    if (clusters.length < needed) problems.push(`${path}: ${clusters.length} clusters for ${entry.size} bytes`);
    return problems;
  }
}

/** A short directory entry: an 11-byte 8.3 name (or any raw bytes), attributes, first cluster, size. */
export function rawEntry(name: string | Buffer, attr: number, cluster: number, size: number): Buffer {
  const raw = Buffer.alloc(ENTRY);
  const nameBytes = typeof name === "string" ? Buffer.from(name.padEnd(11, " "), "latin1") : name;
  if (nameBytes.length !== 11) throw new Error("a short name is 11 bytes");
  nameBytes.copy(raw, 0);
  raw[11] = attr;
  raw.writeUInt16LE(cluster, 26);
  raw.writeUInt32LE(size, 28);
  return raw;
}
