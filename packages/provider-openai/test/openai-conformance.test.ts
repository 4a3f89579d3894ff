import { startFakeOpenAI } from "@llmux/provider-testkit";
import { runConformance } from "@llmux/provider-testkit/conformance";
import { createOpenAI } from "../src/index.js";

runConformance({
  name: "provider-openai",
  provider: "openai",
  startServer: () => startFakeOpenAI(),
  createModel: (server) =>
    createOpenAI({ apiKey: "sk-test", baseURL: server.baseURL }).chatModel("gpt-4o-mini"),
  // OpenAI has no cache-write counter.
  unsupported: ["cache_write_usage"],
});
