/**
 * The key devices tell app file names apart by (templates/ota_manifest.py.hbs, `_name_key`): 30
 * bits of the sha256 of the lowercased name, a small int on the device. Two names that share one
 * are refused by every device, so a release must not hold such a pair.
 */
import { createHash } from "node:crypto";

export function deviceNameKey(name: string): number {
  const digest = createHash("sha256").update(name.toLowerCase()).digest();
  return ((digest[0]! << 22) | (digest[1]! << 14) | (digest[2]! << 6) | (digest[3]! >> 2)) >>> 0;
}
