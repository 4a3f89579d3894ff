import { startFakeOllama } from "@llmux/provider-testkit";
import { runConformance } from "@llmux/provider-testkit/conformance";
import { createOllama } from "../src/index.js";

runConformance({
  name: "provider-ollama",
  provider: "ollama",
  startServer: () => startFakeOllama(),
  createModel: (server) => createOllama({ host: server.baseURL })("llama3.2"),
  // What Ollama's /api/chat has no way to say: forcing a tool, prompt-cache and reasoning token
  // counts, and a content-filter stop.
  unsupported: [
    "tool_choice",
    "cache_read_usage",
    "cache_write_usage",
    "reasoning_usage",
    "finish_content_filter",
  ],
});
