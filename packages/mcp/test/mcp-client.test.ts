import { fileURLToPath } from "node:url";
import { type ChatTool, isLlmuxError, type ToolCall } from "@llmux/core";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callOpenAITool, connectMcp, loadMcpTools, McpToolset, toolResultToContent } from "../src/index.js";
// @ts-expect-error: plain .mjs test fixture without types
import { PIXEL_PNG } from "./fixtures/test-mcp-server.mjs";

const stdioScript = fileURLToPath(new URL("./fixtures/stdio-server.mjs", import.meta.url));
const call = (name: string, args: string, id = `call_${name}`): ToolCall => ({
  id,
  type: "function",
  function: { name, arguments: args },
});

describe("stdio server: loading and calling tools", () => {
  let client: Client;
  beforeAll(async () => {
    client = await connectMcp({ command: process.execPath, args: [stdioScript] });
  });
  afterAll(async () => {
    await client?.close();
  });

  it("loads the tools in every format", async () => {
    const mcp = await loadMcpTools(client, { format: "mcp" });
    const names = mcp.map((t) => t.name);
    expect(names).toContain("calculate_account_value");
    const openai = await loadMcpTools(client, { format: "openai" });
    expect(openai).toHaveLength(mcp.length);
    const calc = openai.find((t) => t.function.name === "calculate_account_value")!;
    expect(calc.type).toBe("function");
    expect(calc.function.parameters).toMatchObject({
      type: "object",
      properties: {
        customer_id: { type: "string" },
        purchase_history: { type: "array", items: { type: "number" } },
      },
      required: ["customer_id", "purchase_history"],
    });
    // The dotted MCP name becomes an OpenAI-safe name.
    expect(openai.map((t) => t.function.name)).toContain("crm_lookup");
    const anthropic = await loadMcpTools(client, { format: "anthropic" });
    expect(anthropic.find((t) => t.name === "calculate_account_value")?.input_schema.type).toBe("object");
    const bedrock = await loadMcpTools(client, { format: "bedrock" });
    expect(bedrock.every((t) => t.toolSpec.description.length > 0)).toBe(true);
    const ollama = await loadMcpTools(client, { format: "ollama" });
    expect(ollama[0]!.type).toBe("function");
    const gemini = await loadMcpTools(client, { format: "gemini" });
    // No-argument tools have no parameters for Gemini.
    expect(gemini.find((t) => t.name === "explode")).toEqual({
      name: "explode",
      description: "Always throws",
    });
    const strict = await loadMcpTools(client, { format: "openai", strict: true });
    expect(strict.find((t) => t.function.name === "get_recent_customers")?.function.strict).toBe(true);
  });

  it("allow and deny lists filter the tools", async () => {
    const allowed = await loadMcpTools(client, {
      format: "openai",
      allow: ["calculate_*", "explode"],
      deny: ["explode"],
    });
    expect(allowed.map((t) => t.function.name)).toEqual(["calculate_account_value"]);
    // Calls through the client only reach the loaded tools.
    const blocked = await callOpenAITool(client, call("get_recent_customers", "{}"));
    expect(blocked.is_error).toBe(true);
    await loadMcpTools(client); // back to every tool
  });

  it("calls a tool and returns its text and structured content, not an object repr", async () => {
    const message = await callOpenAITool(
      client,
      call("calculate_account_value", '{"customer_id":"67890","purchase_history":[150,300,13,89]}', "call_1"),
    );
    expect(message.role).toBe("tool");
    expect(message.tool_call_id).toBe("call_1");
    expect(message.is_error).toBeUndefined();
    expect(JSON.parse(message.content as string)).toEqual({
      customer_id: "67890",
      total: 552,
      average: 138,
      count: 4,
    });
    expect(message.content).not.toContain("[object Object]");
  });

  it("maps a renamed tool back to the server's name", async () => {
    const message = await callOpenAITool(client, call("crm_lookup", '{"id":"12345"}'));
    expect(message.content).toBe("Alice Johnson");
  });

  it("malformed JSON arguments become a tool error the model can correct (never {})", async () => {
    const message = await callOpenAITool(
      client,
      call("calculate_account_value", '{"customer_id": "67890", "purchase_history": [150, 300', "call_bad"),
    );
    expect(message).toMatchObject({ role: "tool", tool_call_id: "call_bad", is_error: true });
    expect(message.content).toMatch(/not valid JSON/);
    expect(message.content).toMatch(/Call "calculate_account_value" again/);
    const notObject = await callOpenAITool(client, call("calculate_account_value", "[1,2]"));
    expect(notObject.content).toMatch(/must be a JSON object/);
  });

  it("schema-invalid arguments are reported field by field", async () => {
    const message = await callOpenAITool(
      client,
      call("calculate_account_value", '{"customer_id": 67890, "purchase_history": "150"}'),
    );
    expect(message.is_error).toBe(true);
    expect(message.content).toMatch(/\/customer_id must be string/);
    expect(message.content).toMatch(/\/purchase_history must be array/);
    const missing = await callOpenAITool(client, call("create_support_ticket", '{"customer_id":"67890"}'));
    expect(missing.content).toMatch(/missing required property "subject"/);
  });

  it("null for an optional argument (what strict-mode models send) means 'not given'", async () => {
    const message = await callOpenAITool(client, call("get_recent_customers", '{"limit": null}'));
    expect(message.is_error).toBeUndefined();
    expect(JSON.parse(message.content as string)).toHaveLength(2);
  });

  it("an unknown tool is a tool error listing the available tools", async () => {
    const message = await callOpenAITool(client, call("delete_everything", "{}"));
    expect(message.is_error).toBe(true);
    expect(message.content).toMatch(/unknown tool "delete_everything"/);
    expect(message.content).toMatch(/calculate_account_value/);
  });

  it("a tool that throws, and a tool result marked isError, stay errors", async () => {
    const thrown = await callOpenAITool(client, call("explode", "{}"));
    expect(thrown.is_error).toBe(true);
    expect(thrown.content).toMatch(/database is down/);
    const refused = await callOpenAITool(
      client,
      call("create_support_ticket", '{"customer_id":"00000","subject":"x","description":"y"}'),
    );
    expect(refused).toMatchObject({ is_error: true, content: "Customer 00000 not found" });
  });

  it("images become image_url data-URL parts and embedded resources keep their URI", async () => {
    const message = await callOpenAITool(client, call("chart", ""));
    expect(Array.isArray(message.content)).toBe(true);
    const parts = message.content as Array<{ type: string; text?: string; image_url?: { url: string } }>;
    expect(parts[0]).toEqual({ type: "text", text: "Sales chart:" });
    expect(parts[1]).toEqual({ type: "image_url", image_url: { url: `data:image/png;base64,${PIXEL_PNG}` } });
    expect(parts[2]!.text).toMatch(/^Resource customer:\/\/12345 \(application\/json\):\n\{"id":"12345"/);
  });

  it("a slow tool times out as a tool error; the caller's abort rejects", async () => {
    const timedOut = await callOpenAITool(client, call("slow", '{"ms": 5000}'), { timeoutMs: 150 });
    expect(timedOut.is_error).toBe(true);
    expect(timedOut.content).toMatch(/timed out after 150 ms/);
    const controller = new AbortController();
    const pending = callOpenAITool(client, call("slow", '{"ms": 5000}'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await pending.catch((e: unknown) => e);
    expect(isLlmuxError(error) && error.kind).toBe("aborted");
  });
});

describe("Streamable HTTP server with a bearer token", () => {
  // biome-ignore lint/suspicious/noExplicitAny: plain .mjs fixture
  let server: any;
  beforeAll(async () => {
    // @ts-expect-error: plain .mjs test fixture without types
    const { startHttpTestServer } = await import("./fixtures/http-server.mjs");
    server = await startHttpTestServer({ token: "test-token-123456" });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("connects with the token, lists and calls tools, and closes its session", async () => {
    const client = await connectMcp({
      url: server.url,
      token: "test-token-123456",
      headers: { "x-tenant": "acme" },
    });
    const tools = await loadMcpTools(client, { format: "openai" });
    expect(tools.map((t: ChatTool) => t.function.name)).toContain("create_support_ticket");
    const message = await callOpenAITool(
      client,
      call(
        "create_support_ticket",
        '{"customer_id":"67890","subject":"Billing issue","description":"Charged twice","priority":"high"}',
      ),
    );
    expect(message.content).toMatch(/^Ticket T-1 \(high\) opened: Billing issue$/);
    expect(server.seenAuth).toContain("Bearer test-token-123456");
    expect(server.sessions.size).toBe(1);
    await client.close();
    // The session was ended on the server, not just dropped by the client.
    expect(server.sessions.size).toBe(0);
  });

  it("a wrong token fails to connect with a connection error that does not echo the token", async () => {
    const error = await connectMcp({ url: server.url, token: "wrong-secret-token-999" }).catch(
      (e: unknown) => e,
    );
    expect(isLlmuxError(error) && error.kind).toBe("connection");
    expect(String((error as Error).message)).not.toContain("wrong-secret-token-999");
  });

  it("bad connect options are clear errors naming the field", async () => {
    await expect(connectMcp({ url: "not a url" })).rejects.toMatchObject({
      kind: "bad_request",
      param: "url",
    });
    await expect(connectMcp({ command: "" } as never)).rejects.toMatchObject({
      kind: "bad_request",
      param: "command",
    });
  });
});

describe("McpToolset over two servers (stdio + HTTP)", () => {
  // biome-ignore lint/suspicious/noExplicitAny: plain .mjs fixture
  let http: any;
  let toolset: McpToolset;
  beforeAll(async () => {
    // @ts-expect-error: plain .mjs test fixture without types
    const { startHttpTestServer } = await import("./fixtures/http-server.mjs");
    http = await startHttpTestServer({ token: "tk-abcdefgh" });
    toolset = await McpToolset.connect({
      crm: {
        command: process.execPath,
        args: [stdioScript],
        env: { TEST_SERVER_NAME: "stdio-crm" },
        deny: ["slow"],
      },
      web: {
        url: http.url,
        token: "tk-abcdefgh",
        allow: ["server_info", "crm.lookup", "enable_refunds", "issue_refund"],
      },
    });
  });
  afterAll(async () => {
    await toolset?.close();
    await http?.close();
  });

  it("prefixes names per server and routes each call to its server", async () => {
    const names = toolset.tools("openai").map((t) => t.function.name);
    expect(names).toContain("crm__calculate_account_value");
    expect(names).toContain("web__crm_lookup");
    expect(names).not.toContain("crm__slow");
    expect(names.filter((n) => n.startsWith("web__")).sort()).toEqual([
      "web__crm_lookup",
      "web__enable_refunds",
      "web__server_info",
    ]);
    expect((await toolset.call(call("crm__server_info", "{}"))).content).toBe("stdio-crm");
    expect((await toolset.call(call("web__server_info", "{}"))).content).toBe("http-crm");
    expect(toolset.resolve("web__crm_lookup")).toMatchObject({ server: "web", tool: { name: "crm.lookup" } });
    // Other formats decode with their own names.
    const anthropicName = toolset
      .tools("anthropic")
      .find((t) => t.name.endsWith("crm_lookup") && t.name.startsWith("crm"))!.name;
    const viaAnthropic = await toolset.call(call(anthropicName, '{"id":"67890"}'), { format: "anthropic" });
    expect(viaAnthropic.content).toBe("Bob Smith");
  });

  it("refreshes when a server announces tools/list_changed", async () => {
    const changed = new Promise<void>((resolve) => {
      const off = toolset.onToolsChanged(() => {
        if (toolset.list().some((e) => e.tool.name === "issue_refund")) {
          off();
          resolve();
        }
      });
    });
    const enabled = await toolset.call(call("web__enable_refunds", "{}"));
    expect(enabled.content).toBe("refunds enabled");
    await changed;
    expect(toolset.tools("openai").map((t) => t.function.name)).toContain("web__issue_refund");
    expect((await toolset.call(call("web__issue_refund", '{"order_id":"o-1"}'))).content).toBe(
      "refunded o-1",
    );
  });

  it("closing the toolset stops the stdio server process", async () => {
    const local = await McpToolset.connect({ only: { command: process.execPath, args: [stdioScript] } });
    const pid = (local as unknown as { servers: Array<{ client: Client }> }).servers[0]!.client
      .transport as unknown as {
      pid: number | null;
    };
    const childPid = pid.pid!;
    expect(() => process.kill(childPid, 0)).not.toThrow();
    await local.close();
    let alive = true;
    for (let i = 0; i < 50 && alive; i++) {
      try {
        process.kill(childPid, 0);
        await new Promise((r) => setTimeout(r, 50));
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
    await expect(local.call(call("server_info", "{}"))).rejects.toMatchObject({ kind: "bad_request" });
  });

  it("a server that cannot start fails the whole connect with a connection error naming it", async () => {
    const error = await McpToolset.connect({
      ok: { command: process.execPath, args: [stdioScript] },
      broken: { command: "/nonexistent/mcp-server-binary" },
    }).catch((e: unknown) => e);
    expect(isLlmuxError(error) && error.kind).toBe("connection");
    expect((error as Error).message).toMatch(/\/nonexistent\/mcp-server-binary/);
  });

  it("rejects bad configuration with the field named", () => {
    expect(() => new McpToolset({ servers: [] })).toThrow(/at least one server/);
  });
});

describe("toolResultToContent", () => {
  it("keeps structured content when the text does not carry it, and never prints [object Object]", () => {
    expect(toolResultToContent({ content: [], structuredContent: { total: 1 } })).toEqual({
      content: '{"total":1}',
      isError: false,
    });
    expect(
      toolResultToContent({ content: [{ type: "text", text: "done" }], structuredContent: { total: 1 } }),
    ).toEqual({
      content: 'done\n{"total":1}',
      isError: false,
    });
    expect(toolResultToContent({ content: [{ type: "mystery", value: { a: 1 } }] }).content).toBe(
      '{"type":"mystery","value":{"a":1}}',
    );
    expect(toolResultToContent({ content: [], isError: true })).toEqual({
      content: "The tool failed without a message.",
      isError: true,
    });
    expect(
      toolResultToContent({ content: [{ type: "resource_link", uri: "file:///a.txt", name: "a.txt" }] })
        .content,
    ).toBe("Resource link: a.txt <file:///a.txt>");
  });
});
