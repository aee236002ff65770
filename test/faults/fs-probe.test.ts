/**
 * ESP32 is met on littlefs2 and on FAT (`ffat` partitions): its device code carries both switches
 * and picks at boot. On FAT it must take the copy switch (no renames), on littlefs2 the rename one.
 */
import { targets } from "../../targets/index.js";
import { startGithubServer } from "../runtime/server.js";
import { flashDevice, testConfig } from "../runtime/updater.js";
import { V1 } from "./power.js";

test.each([
  ["fat", 4096, "True"],
  ["fat", 512, "True"],
  ["lfs2", 4096, "False"],
] as const)("esp32 on %s with %i-byte blocks: ON_FAT is %s", async (fs, blockSize, expected) => {
  const server = await startGithubServer({ releases: [V1] });
  const device = await flashDevice(testConfig(targets.get("esp32")!, server), "esp32", "mpy", undefined, { fs, blockSize, blocks: Math.floor((1024 * 1024) / blockSize) });
  try {
    const result = await device.run("import ota_switch\nprint('ON_FAT', ota_switch.ON_FAT)");
    expect(result.output).toContain(`ON_FAT ${expected}`);
  } finally {
    await device.dispose();
    await server.close();
  }
});
