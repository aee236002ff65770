/** Diagnostic codes of `gen-ota simulate` (GEN_OTA_08xx) by role; titled in generator/diagnostic-codes.ts. */
import type { DiagnosticCode } from "../diagnostic-codes.js";

export const SimulateCode = {
  usage: "GEN_OTA_0801",
  version: "GEN_OTA_0802",
  board: "GEN_OTA_0803",
  runtime: "GEN_OTA_0804",
} as const satisfies Record<string, DiagnosticCode>;
