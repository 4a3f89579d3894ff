import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshStorage, startHttp } from "./server-process.js";

const run = promisify(execFile);
const conformance = fileURLToPath(new URL("../node_modules/.bin/conformance", import.meta.url));

// The official MCP conformance suite, for every server scenario that applies to a general server.
describe("official MCP conformance suite over HTTP", () => {
  let server: Awaited<ReturnType<typeof startHttp>>;
  beforeAll(async () => {
    server = await startHttp(freshStorage("sqlite"));
  });
  afterAll(async () => {
    await server.stop();
  });

  it.each([
    "server-initialize",
    "ping",
    "tools-list",
    "resources-list",
    "prompts-list",
    "dns-rebinding-protection",
  ])("passes %s", async (scenario) => {
    const { stdout } = await run(conformance, ["server", "--url", server.url, "--scenario", scenario], {
      timeout: 60_000,
    });
    expect(stdout).toMatch(/Passed: (\d+)\/\1, 0 failed/);
  });
});
