/** Diagnostic codes of the mpy-cross wrapper (GEN_OTA_06xx) by role; titled in generator/diagnostic-codes.ts. */
import type { DiagnosticCode } from "../diagnostic-codes.js";

export const MpyCode = {
  compileError: "GEN_OTA_0601",
  unknownArch: "GEN_OTA_0602",
  toolFailure: "GEN_OTA_0603",
  notMpy: "GEN_OTA_0604",
  usage: "GEN_OTA_0605",
  io: "GEN_OTA_0606",
} as const satisfies Record<string, DiagnosticCode>;
