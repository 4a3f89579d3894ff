import { startFakeBedrock } from "@llmux/provider-testkit";
import { runConformance } from "@llmux/provider-testkit/conformance";
import { createBedrock } from "../src/index.js";

runConformance({
  name: "provider-bedrock",
  provider: "bedrock",
  startServer: () => startFakeBedrock(),
  createModel: (server) =>
    createBedrock({
      region: "us-east-1",
      endpoint: server.baseURL,
      credentials: { accessKeyId: "AKIDFAKEFAKEFAKE", secretAccessKey: "fake-secret" },
    })("anthropic.claude-3-5-haiku-20241022-v1:0"),
  // Converse usage has no reasoning-token count.
  unsupported: ["reasoning_usage"],
});
