import { startFakeAnthropic } from "@llmux/provider-testkit";
import { runConformance } from "@llmux/provider-testkit/conformance";
import { createAnthropic } from "../src/index.js";

runConformance({
  name: "provider-anthropic",
  provider: "anthropic",
  startServer: () => startFakeAnthropic(),
  createModel: (server) =>
    createAnthropic({ apiKey: "test-key", baseURL: server.baseURL })("claude-sonnet-4-6"),
});
