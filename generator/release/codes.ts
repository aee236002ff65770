/** Diagnostic codes of `gen-ota release` (GEN_OTA_07xx) by role; titled in generator/diagnostic-codes.ts. */
import type { DiagnosticCode } from "../diagnostic-codes.js";

export const ReleaseCode = {
  badVersion: "GEN_OTA_0701",
  badDir: "GEN_OTA_0702",
  badPath: "GEN_OTA_0703",
  caseClash: "GEN_OTA_0704",
  noFiles: "GEN_OTA_0705",
  unreadable: "GEN_OTA_0706",
  writeFailed: "GEN_OTA_0707",
  usage: "GEN_OTA_0708",
  signKey: "GEN_OTA_0709",
  unfetchable: "GEN_OTA_0710",
  link: "GEN_OTA_0711",
  untracked: "GEN_OTA_0712",
  overBudget: "GEN_OTA_0713",
  tag: "GEN_OTA_0714",
  deviceRefuses: "GEN_OTA_0715",
} as const satisfies Record<string, DiagnosticCode>;
