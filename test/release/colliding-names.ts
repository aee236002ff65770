/**
 * Two app paths with one device name key (templates/ota_manifest.py.hbs, `_name_key`), found by
 * search: gen-ota release refuses them together (build.test.ts), and a device refuses a manifest
 * naming both (test/faults/manifest.ts), which shows the two sides compute the same key.
 */
export const COLLIDING_NAMES = ["lib/m16675.py", "lib/m18857.py"] as const;
