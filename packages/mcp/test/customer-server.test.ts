// The MCP client against the real customer server, over stdio and over Streamable HTTP.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { customerServerCliPath, openCustomerStore, serveHttp } from "@llmux/mcp-customer-server";
import { createSimulatedModel } from "@llmux/provider-testkit";
import { afterAll, describe, expect, it } from "vitest";
import { callOpenAITool, connectMcp, loadMcpTools, McpToolset, runToolLoop } from "../src/index.js";

const tempDb = () => join(mkdtempSync(join(tmpdir(), "llmux-mcp-cs-")), "customers.db");

describe("the real customer server over stdio", () => {
  it("loads its tools in OpenAI format and answers the article's question through the tool loop", async () => {
    const toolset = await McpToolset.connect({
      customers: {
        command: process.execPath,
        args: [customerServerCliPath(), "--db", tempDb()],
        stderr: "ignore",
        prefix: false,
      },
    });
    try {
      const names = toolset.tools("openai").map((t) => t.function.name);
      expect(names).toEqual(
        expect.arrayContaining(["get_recent_customers", "create_support_ticket", "calculate_account_value"]),
      );
      const run = await runToolLoop({
        model: createSimulatedModel(),
        messages: [
          {
            role: "user",
            content:
              "Customer 67890 recently purchases were $150, $300, $13 and $89. Calculate their total account value.",
          },
        ],
        toolset,
      });
      expect(run.stoppedBy).toBe("answer");
      expect(run.steps[0]!.toolResults[0]!.content).toContain("total $552.00, average $138.00, 4 purchases");
      expect(run.text).toContain("$552.00");
    } finally {
      await toolset.close();
    }
  });
});

describe("the real customer server over Streamable HTTP", () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it("calls a tool with a bearer token and turns a bad argument into a tool error the model can read", async () => {
    const store = await openCustomerStore({ sqlitePath: tempDb() });
    const server = await serveHttp(store, { port: 0, token: "test-token" });
    cleanup.push(
      () => store.close(),
      () => server.close(),
    );
    const client = await connectMcp({ url: server.url, token: "test-token" });
    cleanup.push(() => client.close());
    const tools = await loadMcpTools(client, { format: "anthropic" });
    expect(tools.map((t) => t.name)).toContain("create_support_ticket");
    const ok = await callOpenAITool(client, {
      id: "call_1",
      type: "function",
      function: {
        name: "create_support_ticket",
        arguments: JSON.stringify({
          customer_id: "67890",
          subject: "Billing issues",
          description: "Charged twice",
          priority: "high",
        }),
      },
    });
    expect(ok.is_error).toBeFalsy();
    expect(JSON.stringify(ok.content)).toMatch(/TKT-\d{6}/);
    const bad = await callOpenAITool(client, {
      id: "call_2",
      type: "function",
      function: {
        name: "create_support_ticket",
        arguments: '{"customer_id": "67890", "subject": "x", "description": "y", "priority": "asap"}',
      },
    });
    expect(bad.is_error).toBe(true);
    expect(JSON.stringify(bad.content)).toContain("priority");
  });
});
