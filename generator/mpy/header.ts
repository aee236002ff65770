/** The 4-byte header of a MicroPython .mpy file (versions 5 and 6), decoded. */

import { fail, ok, type Result } from "../diagnostics.js";
import { MpyCode } from "./codes.js";

/** Native architectures in the order of MicroPython's `MP_NATIVE_ARCH_*` enum (index = code). */
export const MPY_ARCHES = [
  null,
  "x86",
  "x64",
  "armv6",
  "armv6m",
  "armv7m",
  "armv7em",
  "armv7emsp",
  "armv7emdp",
  "xtensa",
  "xtensawin",
  "rv32imc",
  "rv64imc",
] as const;

/** An -march name mpy-cross may write into a header. */
export type MpyArch = Exclude<(typeof MPY_ARCHES)[number], null>;

/** The fields of a .mpy header. */
export interface MpyHeader {
  /** .mpy format version: 5 (MicroPython 1.12-1.18), 6 (1.19 and later). */
  version: number;
  /** Low two bits of byte 2. v5: feature flags (bit 0 map-lookup caching, bit 1 unicode); v6: sub-version. */
  flags: number;
  /** v6 only: the native sub-version (0 for bytecode-only files); null for v5. */
  subVersion: number | null;
  /** Native architecture (upper six bits of byte 2); null for bytecode-only files. */
  arch: MpyArch | null;
  /** The raw architecture code, kept for codes newer than this table. */
  archCode: number;
  /** Bits of a small int the bytecode was compiled for (byte 3). */
  smallIntBits: number;
}

/** Decodes `M`, version, flags (arch << 2 | flags or sub-version) and small-int bits. */
export function readMpyHeader(bytes: Uint8Array): Result<MpyHeader> {
  const [magic, version, feature, smallIntBits] = bytes;
  if (magic !== 0x4d || version === undefined || feature === undefined || smallIntBits === undefined) {
    return fail([
      {
        code: MpyCode.notMpy,
        severity: "error",
        message: "not a .mpy file: it does not start with 'M', version, flags, small-int bits",
      },
    ]);
  }
  const flags = feature & 0x03;
  const archCode = feature >> 2;
  return ok({
    version,
    flags,
    subVersion: version >= 6 ? flags : null,
    arch: MPY_ARCHES[archCode] ?? null,
    archCode,
    smallIntBits,
  });
}
