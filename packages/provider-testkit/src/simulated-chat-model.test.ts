import { accumulateStream, type ChatMessage, type ChatTool, LlmuxError } from "@llmux/core";
import { describe, expect, it } from "vitest";
import { createSimulatedModel, SIMULATED_LABEL } from "./index.js";

// The customer server's tools as an MCP client loads them in OpenAI format.
const tools: ChatTool[] = [
  {
    type: "function",
    function: {
      name: "get_recent_customers",
      description: "Get a list of recently active customers and their status",
      parameters: { type: "object", properties: { limit: { type: "integer", minimum: 1, maximum: 100 } } },
    },
  },
  {
    type: "function",
    function: {
      name: "create_support_ticket",
      description: "Create a support ticket for a customer",
      parameters: {
        type: "object",
        properties: {
          customer_id: { type: "string" },
          subject: { type: "string" },
          description: { type: "string" },
          priority: { type: "string", enum: ["low", "normal", "high", "urgent"] },
        },
        required: ["customer_id", "subject", "description"],
      },
    },
  },
  {
    type: "function",
    function: {
      name: "calculate_account_value",
      description: "Calculate the total account value from purchase history",
      parameters: {
        type: "object",
        properties: {
          customer_id: { type: "string" },
          purchase_history: { type: "array", items: { type: "number" } },
        },
        required: ["customer_id"],
      },
    },
  },
];

const ask = (content: string): ChatMessage[] => [{ role: "user", content }];

describe("simulated provider", () => {
  it("says it is simulated in its id and its answers", async () => {
    const model = createSimulatedModel({ name: "cloud-large" });
    expect(model.id).toBe("simulated/cloud-large");
    const result = await model.chat({ messages: ask("Hello there") });
    expect(result.choices[0]!.message.content).toMatch(/^\[simulated\]/);
    expect(result.model).toBe("simulated/cloud-large");
  });

  it("calls calculate_account_value with the article's purchases", async () => {
    const model = createSimulatedModel();
    const result = await model.chat({
      messages: ask(
        "Customer 67890 recently purchases were $150, $300, $13 and $89. Calculate their total account value.",
      ),
      tools,
    });
    const call = result.choices[0]!.message.tool_calls![0]!;
    expect(result.choices[0]!.finish_reason).toBe("tool_calls");
    expect(call.function.name).toBe("calculate_account_value");
    expect(JSON.parse(call.function.arguments)).toEqual({
      customer_id: "67890",
      purchase_history: [150, 300, 13, 89],
    });
  });

  it("creates a high-priority ticket about billing issues", async () => {
    const result = await createSimulatedModel().chat({
      messages: ask("Create a high-priority support ticket for customer 67890 about billing issues"),
      tools,
    });
    const call = result.choices[0]!.message.tool_calls![0]!;
    expect(call.function.name).toBe("create_support_ticket");
    expect(JSON.parse(call.function.arguments)).toMatchObject({
      customer_id: "67890",
      priority: "high",
      subject: "Billing issues",
    });
  });

  it("lists recent customers without inventing a limit", async () => {
    const result = await createSimulatedModel().chat({
      messages: ask("Get a list of recent customers and summarize their status"),
      tools,
    });
    const call = result.choices[0]!.message.tool_calls![0]!;
    expect(call.function.name).toBe("get_recent_customers");
    expect(JSON.parse(call.function.arguments)).toEqual({});
  });

  it("answers from the tool result with the article's numbers", async () => {
    const messages: ChatMessage[] = [
      ...ask(
        "Customer 67890 recently purchases were $150, $300, $13 and $89. Calculate their total account value.",
      ),
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "c1", type: "function", function: { name: "calculate_account_value", arguments: "{}" } },
        ],
      },
      {
        role: "tool",
        tool_call_id: "c1",
        content: JSON.stringify({ customer_id: "67890", total: 552, average: 138, count: 4 }),
      },
    ];
    const result = await createSimulatedModel().chat({ messages, tools });
    expect(result.choices[0]!.message.content).toBe(
      `${SIMULATED_LABEL} The total account value for customer 67890 is $552.00 across 4 purchases (average $138.00).`,
    );
  });

  it("reports a tool error as an error", async () => {
    const messages: ChatMessage[] = [
      ...ask("Create a ticket for customer 99999 about login"),
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "c1", type: "function", function: { name: "create_support_ticket", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: "Customer 99999 not found", is_error: true },
    ];
    const result = await createSimulatedModel().chat({ messages });
    expect(result.choices[0]!.message.content).toContain("reported an error: Customer 99999 not found");
  });

  it("streams the same answer in pieces, tool arguments included", async () => {
    const model = createSimulatedModel();
    const request = {
      messages: ask("Calculate the account value for customer 12345 with purchases: $150, $300, $89"),
      tools,
    };
    const streamed = await accumulateStream(model.stream(request));
    const call = streamed.choices[0]!.message.tool_calls![0]!;
    expect(JSON.parse(call.function.arguments)).toEqual({
      customer_id: "12345",
      purchase_history: [150, 300, 89],
    });
    expect(streamed.usage?.total_tokens).toBeGreaterThan(0);
  });

  it("fails on demand, for failover demos", async () => {
    const failing = createSimulatedModel({
      failWith: new LlmuxError({ kind: "server", status: 503, message: "injected outage" }),
    });
    await expect(failing.chat({ messages: ask("hi") })).rejects.toMatchObject({
      kind: "server",
      retryable: true,
    });
  });

  it("honours abort and timeout", async () => {
    const slow = createSimulatedModel({ latencyMs: 5_000 });
    await expect(slow.chat({ messages: ask("hi") }, { timeoutMs: 10 })).rejects.toMatchObject({
      kind: "timeout",
    });
    const controller = new AbortController();
    const pending = slow.chat({ messages: ask("hi") }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: "aborted" });
  });

  it("rejects a request without messages", async () => {
    await expect(createSimulatedModel().chat({ messages: [] })).rejects.toMatchObject({
      kind: "bad_request",
      param: "messages",
    });
  });
});
