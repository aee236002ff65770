/** Diagnostic codes of the mpy-cross wrapper (GEN_OTA_06xx). */
export const MpyCode = {
  /** mpy-cross refused the source: a syntax error at file:line. */
  compileError: "GEN_OTA_0601",
  /** An -march name mpy-cross for this ABI does not know. */
  unknownArch: "GEN_OTA_0602",
  /** mpy-cross failed without a traceback, or its WebAssembly module did not load. */
  toolFailure: "GEN_OTA_0603",
  /** Bytes that do not start with a .mpy header. */
  notMpy: "GEN_OTA_0604",
  /** A command-line usage error of gen-ota-mpy-cross. */
  usage: "GEN_OTA_0605",
  /** A source file that cannot be read or an output that cannot be written. */
  io: "GEN_OTA_0606",
} as const;
