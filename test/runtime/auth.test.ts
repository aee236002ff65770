/** A private repo's token: sent to the endpoints' own host, never across a redirect, never logged. */
import { targets } from "../../targets/index.js";
import { startGithubServer } from "./server.js";
import { appRelease, BOOT_SNIPPET, flashDevice, testConfig } from "./updater.js";

const TOKEN = "ghp_test0123456789";

test.each(["esp8266", "esp32"])("%s sends the token only to the endpoints' host", async (boardName) => {
  const server = await startGithubServer({ releases: [appRelease("1.0.0")] });
  const config = testConfig(targets.get(boardName)!, server, { token: { kind: "secret", name: "GITHUB_TOKEN" } });
  const device = await flashDevice(config, boardName, "mpy");
  await device.writeFiles({ "/secrets.json": JSON.stringify({ WIFI_SSID: "n", WIFI_PASS: "p", GITHUB_TOKEN: TOKEN }) });
  const result = await device.run(BOOT_SNIPPET);
  expect(result.output).toContain("SIM RESET"); // the update went through

  const toOrigin = server.requests.filter((request) => request.host.startsWith("127.0.0.1"));
  const redirected = server.requests.filter((request) => request.host.startsWith("localhost"));
  expect(toOrigin.length).toBeGreaterThan(0);
  expect(redirected.length).toBeGreaterThan(0);
  for (const request of toOrigin) expect(request.headers.authorization).toBe(`token ${TOKEN}`);
  for (const request of redirected) expect(request.headers.authorization).toBeUndefined();
  expect(result.stdout + result.stderr).not.toContain(TOKEN);
  await device.dispose();
  await server.close();
});

test("the generated files never hold a secret's value unless embedded by name", async () => {
  const { generateBoard } = await import("../../generator/generate.js");
  const server = await startGithubServer({ releases: [] });
  const board = targets.get("esp32")!;
  const secretOnly = generateBoard(testConfig(board, server, { token: { kind: "secret", name: "GITHUB_TOKEN" } }), board);
  expect(secretOnly.map((file) => String(file.contents)).join("\n")).not.toContain(TOKEN);
  const embedded = generateBoard(testConfig(board, server, { token: { kind: "embedded-secret", name: "GITHUB_TOKEN", value: TOKEN } }), board);
  expect(embedded.map((file) => String(file.contents)).join("\n")).toContain(TOKEN);
  await server.close();
});
