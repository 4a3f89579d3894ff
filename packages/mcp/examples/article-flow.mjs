// The article's flow, runnable offline: start an MCP server, load its tools in OpenAI format, and run
// the tool loop. The model here is a tiny scripted stand-in (no API key needed) that asks for the
// calculate_account_value tool, then answers from its result; swap in any llmux ChatModel
// (e.g. createAnthropic()("claude-sonnet-4-0")) for a real one.
//
//   pnpm turbo run build --filter @llmux/mcp... && node packages/mcp/examples/article-flow.mjs
import { fileURLToPath } from "node:url";
import { resultToChunks } from "@llmux/core";
import { connectMcp, loadMcpTools, McpToolset, runToolLoop } from "@llmux/mcp";

const server = fileURLToPath(new URL("../test/fixtures/stdio-server.mjs", import.meta.url));

/** @type {import("@llmux/core").ChatModel} */
const scriptedModel = {
  id: "scripted/demo",
  async chat(request) {
    const last = request.messages.at(-1);
    const message =
      last.role === "tool"
        ? { role: "assistant", content: `Account value: ${last.content}` }
        : {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "call_1",
                type: "function",
                function: {
                  name: "calculate_account_value",
                  arguments: JSON.stringify({ customer_id: "67890", purchase_history: [150, 300, 13, 89] }),
                },
              },
            ],
          };
    return {
      id: "demo",
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: "scripted",
      choices: [{ index: 0, message, finish_reason: message.tool_calls ? "tool_calls" : "stop" }],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    };
  },
  async *stream(request) {
    yield* resultToChunks(await this.chat(request));
  },
};

// 1. Connect and load the tools in OpenAI format (the article's load_mcp_tools(session, format="openai")).
const client = await connectMcp({ command: process.execPath, args: [server] });
const tools = await loadMcpTools(client, { format: "openai" });
console.log("tools:", tools.map((t) => t.function.name).join(", "));

// 2. Run the loop: the model calls tools through MCP until it answers (or maxSteps is reached).
const toolset = await McpToolset.fromClient(client);
const result = await runToolLoop({
  model: scriptedModel,
  toolset,
  maxSteps: 5,
  messages: [
    {
      role: "user",
      content:
        "Customer 67890 recently purchases were $150, $300, $13 and $89. Calculate their total account value.",
    },
  ],
});
console.log(`stopped by: ${result.stoppedBy} after ${result.steps.length} steps`);
console.log(result.text);
await client.close();
