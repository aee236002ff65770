/**
 * File names `gen-ota release` accepts but a URL cannot carry as they are (a space, '%', '#'):
 * the device percent-encodes them in the file URL, so such a release installs instead of
 * failing on every attempt. Non-ASCII names still go out as raw UTF-8 (the test server, like
 * Node, reads the request line as latin1, so they are left out here). .mpy output at each
 * board's heap budget.
 */
import { targets } from "../../targets/index.js";
import { describe as describeRun } from "../runtime/device.js";
import { startGithubServer } from "../runtime/server.js";
import { appRelease, BOOT_SNIPPET, flashDevice, testConfig } from "../runtime/updater.js";
import { appState, BOARDS, bootAndInspect, classifyApp, installInspector } from "./common.js";

const NAMED = appRelease("1.0.0", { extra: { "my notes.txt": "a space\n", "100%.txt": "percent\n", "a#b.txt": "hash\n" } });

test.each(BOARDS)("%s installs a release whose file names need escaping in a URL", async (boardName) => {
  const server = await startGithubServer({ releases: [NAMED] });
  const device = await flashDevice(testConfig(targets.get(boardName)!, server, { update: "manual" }), boardName, "mpy");
  try {
    await installInspector(device);
    const staged = await device.run("import ota\nprint('RESULT', ota.update())");
    expect(staged.output).toContain("RESULT 1.0.0");
    const fetched = server.requests.filter((request) => request.path.startsWith("/raw/")).map((request) => request.path.split("/project/")[1]);
    expect(fetched).toEqual(expect.arrayContaining(["my%20notes.txt", "100%25.txt", "a%23b.txt"]));
    const boot = await bootAndInspect(device);
    if (!boot.inspection) throw new Error(describeRun(boot.result));
    expect(boot.result.output).toContain("APP RUNNING widget 1.0.0");
    expect(classifyApp(boot.inspection, "/project", { new: appState(NAMED) })).toEqual({ name: "new" });
  } finally {
    await device.dispose();
    await server.close();
  }
});
