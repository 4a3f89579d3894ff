import { startFakeOpenAI } from "@llmux/provider-testkit";
import { runConformance } from "@llmux/provider-testkit/conformance";
import { createOpenAI } from "../src/index.js";

for (const transport of ["sdk", "http"] as const) {
  runConformance({
    name: `provider-openai (${transport})`,
    provider: "openai",
    startServer: () => startFakeOpenAI(),
    createModel: (server) =>
      createOpenAI({ transport, apiKey: "sk-test", baseURL: server.baseURL }).chatModel("gpt-4o-mini"),
    // OpenAI has no cache-write counter.
    unsupported: ["cache_write_usage"],
  });
}
