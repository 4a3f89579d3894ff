import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChatTool } from "@llmux/core";
import { type FakeProviderServer, startFakeOllama } from "@llmux/provider-testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOllama } from "../src/index.js";

// Real tools/list schemas of the reference MCP servers (see __fixtures__/mcp-tools/SOURCES.md).
const dir = join(import.meta.dirname, "__fixtures__", "mcp-tools");
const tools: ChatTool[] = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .flatMap(
    (f) =>
      (
        JSON.parse(readFileSync(join(dir, f), "utf8")) as {
          tools: Array<{ name: string; description?: string; inputSchema: Record<string, never> }>;
        }
      ).tools,
  )
  .map((t) => ({
    type: "function",
    function: { name: t.name, description: t.description, parameters: t.inputSchema },
  }));

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeOllama();
});
afterAll(async () => {
  await server.close();
});

describe("the MCP reference servers' tools, translated by @llmux/tool-schema", () => {
  it("are all accepted by the fake's request validator (the provider's documented rules)", async () => {
    expect(tools.length).toBe(59);
    const model = createOllama({ host: server.baseURL })("llama3.2");
    const first = tools[0]!.function.name;
    server.enqueue(
      { kind: "tool_calls", calls: [{ name: first, arguments: {} }] },
      { kind: "text", text: "done" },
    );
    const step = await model.chat({ messages: [{ role: "user", content: "Use the tools." }], tools });
    expect(server.requests.at(-1)!.normalized.tools).toHaveLength(59);
    expect((server.requests.at(-1)!.body as { tools: unknown[] }).tools.length).toBe(59);
    const call = step.choices[0]!.message.tool_calls![0]!;
    expect(call.function.name).toBe(first);
    // The follow-up with the tool result passes the same checks.
    const final = await model.chat({
      messages: [
        { role: "user", content: "Use the tools." },
        step.choices[0]!.message,
        { role: "tool", tool_call_id: call.id, content: "result text" },
      ],
      tools,
    });
    expect(final.choices[0]!.message.content).toBe("done");
  });
});
