/** gen-ota's public API: what `ota.config.ts` imports, and the generator for programmatic use. */
export { defineConfig, secret } from "./config/types.js";
export type { BoardName, Endpoints, OtaConfig, Secret, UpdatePolicy } from "./config/types.js";
