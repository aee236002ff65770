/** Diagnostic codes of `gen-ota simulate` (GEN_OTA_08xx; titles in generator/diagnostic-codes.ts). */
export const SimulateCode = {
  /** A command-line usage error of `gen-ota simulate`. */
  usage: "GEN_OTA_0801",
  /** --from or --to cannot be read or built into a release. */
  version: "GEN_OTA_0802",
  /** --board is not one of the config's boards. */
  board: "GEN_OTA_0803",
  /** The runtime asked for cannot run (no unix port binary, no WebAssembly package). */
  runtime: "GEN_OTA_0804",
} as const;
