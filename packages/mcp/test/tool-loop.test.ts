import { fileURLToPath } from "node:url";
import { type ChatMessage, isLlmuxError, type ToolMessage } from "@llmux/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  McpToolset,
  runToolLoop,
  streamToolLoop,
  type ToolLoopEvent,
  type ToolLoopStep,
} from "../src/index.js";
import { ScriptedChatModel } from "./scripted-chat-model.js";

const stdioScript = fileURLToPath(new URL("./fixtures/stdio-server.mjs", import.meta.url));
const question: ChatMessage[] = [
  { role: "system", content: "You are a customer service assistant." },
  {
    role: "user",
    content:
      "Customer 67890 recently purchases were $150, $300, $13 and $89. Calculate their total account value.",
  },
];
const toolMessages = (messages: ChatMessage[]) => messages.filter((m): m is ToolMessage => m.role === "tool");

describe("runToolLoop against a real MCP server (stdio)", () => {
  let toolset: McpToolset;
  beforeAll(async () => {
    toolset = await McpToolset.connect({ crm: { command: process.execPath, args: [stdioScript] } });
  });
  afterAll(async () => {
    await toolset?.close();
  });

  it("executes parallel tool calls, appends results with the right ids, and returns the answer", async () => {
    const model = new ScriptedChatModel([
      {
        toolCalls: [
          {
            id: "call_a",
            name: "calculate_account_value",
            arguments: '{"customer_id":"67890","purchase_history":[150,300,13,89]}',
          },
          { id: "call_b", name: "get_recent_customers", arguments: '{"limit":1}' },
        ],
        usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
      },
      (request) => {
        const results = toolMessages(request.messages);
        const value = JSON.parse(results.find((m) => m.tool_call_id === "call_a")!.content as string);
        return {
          text: `Customer 67890 has a total account value of $${value.total.toFixed(2)} over ${value.count} purchases.`,
          usage: {
            prompt_tokens: 200,
            completion_tokens: 30,
            total_tokens: 230,
            prompt_tokens_details: { cached_tokens: 50 },
          },
        };
      },
    ]);
    const seen: ToolLoopStep[] = [];
    const result = await runToolLoop({
      model,
      messages: question,
      toolset,
      onStep: (s) => void seen.push(s),
    });
    expect(result.stoppedBy).toBe("answer");
    expect(result.text).toBe("Customer 67890 has a total account value of $552.00 over 4 purchases.");
    expect(result.steps).toHaveLength(2);
    expect(seen.map((s) => s.step)).toEqual([1, 2]);
    // History: input, assistant with both calls, both results in call order, final answer.
    expect(result.messages.map((m) => m.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "tool",
      "assistant",
    ]);
    const results = toolMessages(result.messages);
    expect(results.map((m) => m.tool_call_id)).toEqual(["call_a", "call_b"]);
    expect(JSON.parse(results[1]!.content as string)[0].name).toBe("Alice Johnson");
    // The model received the tools in OpenAI format and no parallel restriction.
    expect(model.requests[0]!.tools!.map((t) => t.function.name)).toContain("calculate_account_value");
    expect(model.requests[0]!.parallel_tool_calls).toBeUndefined();
    // Usage summed over both steps.
    expect(result.usage).toMatchObject({ prompt_tokens: 300, completion_tokens: 50, total_tokens: 350 });
    expect(result.usage?.prompt_tokens_details?.cached_tokens).toBe(50);
    // The caller's array is not modified.
    expect(question).toHaveLength(2);
  });

  it("lets the model correct bad JSON, unknown tools and a failing tool from the error messages", async () => {
    const model = new ScriptedChatModel([
      {
        toolCalls: [
          {
            id: "c1",
            name: "calculate_account_value",
            arguments: '{"customer_id":"67890","purchase_history":[150,',
          },
          { id: "c2", name: "get_customer_purchases", arguments: "{}" },
          { id: "c3", name: "explode", arguments: "{}" },
        ],
      },
      (request) => {
        const [bad, unknown, thrown] = toolMessages(request.messages);
        expect(bad).toMatchObject({ tool_call_id: "c1", is_error: true });
        expect(bad!.content).toMatch(/not valid JSON/);
        expect(unknown).toMatchObject({ tool_call_id: "c2", is_error: true });
        expect(unknown!.content).toMatch(/unknown tool/);
        expect(thrown).toMatchObject({ tool_call_id: "c3", is_error: true });
        expect(thrown!.content).toMatch(/database is down/);
        return {
          toolCalls: [
            {
              id: "c4",
              name: "calculate_account_value",
              arguments: '{"customer_id":"67890","purchase_history":[150,300,13,89]}',
            },
          ],
        };
      },
      (request) => {
        const last = request.messages.at(-1) as ToolMessage;
        expect(last.tool_call_id).toBe("c4");
        expect(last.is_error).toBeUndefined();
        return { text: `Total: ${JSON.parse(last.content as string).total}` };
      },
    ]);
    const result = await runToolLoop({ model, messages: question, toolset });
    expect(result.stoppedBy).toBe("answer");
    expect(result.text).toBe("Total: 552");
    expect(result.steps.map((s) => s.toolCalls.length)).toEqual([3, 1, 0]);
  });

  it("stops at the step limit and says so, with every tool call answered", async () => {
    const model = new ScriptedChatModel(() => ({
      toolCalls: [{ name: "get_recent_customers", arguments: "{}" }],
    }));
    const result = await runToolLoop({ model, messages: question, toolset, maxSteps: 3 });
    expect(result.stoppedBy).toBe("max_steps");
    expect(result.steps).toHaveLength(3);
    expect(model.requests).toHaveLength(3);
    expect(result.text).toBe("");
    const calls = result.messages.flatMap((m) => (m.role === "assistant" ? (m.tool_calls ?? []) : []));
    expect(toolMessages(result.messages).map((m) => m.tool_call_id)).toEqual(calls.map((c) => c.id));
  });

  it("runs a step's tool calls concurrently, or one by one with parallelToolCalls: false", async () => {
    const meet = { name: "rendezvous", arguments: '{"count": 2, "waitMs": 1500}' };
    const script = () => [{ toolCalls: [meet, meet] }, { text: "done" }];
    const parallel = await runToolLoop({
      model: new ScriptedChatModel(script()),
      messages: question,
      toolset,
    });
    expect(toolMessages(parallel.messages).map((m) => m.content)).toEqual(["met", "met"]);
    const quick = { name: "rendezvous", arguments: '{"count": 2, "waitMs": 100}' };
    const sequential = await runToolLoop({
      model: new ScriptedChatModel([{ toolCalls: [quick, quick] }, { text: "done" }]),
      messages: question,
      toolset,
      parallelToolCalls: false,
    });
    expect(toolMessages(sequential.messages).map((m) => m.content)).toEqual(["alone", "alone"]);
  });

  it("parallelToolCalls: false asks the model for one call at a time; a forced tool_choice applies once", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: "get_recent_customers", arguments: "{}" }] },
      { text: "Two customers." },
    ]);
    const result = await runToolLoop({
      model,
      messages: question,
      toolset,
      parallelToolCalls: false,
      request: { tool_choice: "required", temperature: 0 },
    });
    expect(result.text).toBe("Two customers.");
    expect(model.requests[0]).toMatchObject({
      parallel_tool_calls: false,
      tool_choice: "required",
      temperature: 0,
    });
    expect(model.requests[1]).toMatchObject({ tool_choice: "auto", temperature: 0 });
  });

  it("an abort while a tool runs rejects with kind 'aborted'", async () => {
    const controller = new AbortController();
    const model = new ScriptedChatModel([{ toolCalls: [{ name: "slow", arguments: '{"ms": 5000}' }] }]);
    const slowset = await McpToolset.connect({ crm: { command: process.execPath, args: [stdioScript] } });
    try {
      setTimeout(() => controller.abort(), 100);
      const error = await runToolLoop({
        model,
        messages: question,
        toolset: slowset,
        signal: controller.signal,
      }).catch((e: unknown) => e);
      expect(isLlmuxError(error) && error.kind).toBe("aborted");
      // Aborted before asking the model again.
      expect(model.requests).toHaveLength(1);
    } finally {
      await slowset.close();
    }
  });

  it("bad options are clear errors naming the field", async () => {
    const model = new ScriptedChatModel([]);
    await expect(runToolLoop({ model, messages: question, toolset, maxSteps: 0 })).rejects.toMatchObject({
      kind: "bad_request",
      param: "maxSteps",
    });
    await expect(runToolLoop({ model, messages: "hi" as never, toolset })).rejects.toMatchObject({
      param: "messages",
    });
    await expect(runToolLoop({ model: {} as never, messages: question, toolset })).rejects.toMatchObject({
      param: "model",
    });
  });
});

describe("streamToolLoop", () => {
  let toolset: McpToolset;
  beforeAll(async () => {
    toolset = await McpToolset.connect({ crm: { command: process.execPath, args: [stdioScript] } });
  });
  afterAll(async () => {
    await toolset?.close();
  });

  it("yields text deltas, tool calls, tool results, step ends and a finish with the whole run", async () => {
    const model = new ScriptedChatModel([
      {
        text: "Let me check.",
        toolCalls: [
          {
            id: "s1",
            name: "calculate_account_value",
            arguments: '{"customer_id":"12345","purchase_history":[150,300,89]}',
          },
        ],
      },
      (request) => ({
        text: `The account value is $${JSON.parse((request.messages.at(-1) as ToolMessage).content as string).total}.`,
      }),
    ]);
    const events: ToolLoopEvent[] = [];
    for await (const event of streamToolLoop({ model, messages: question, toolset })) events.push(event);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("step-start");
    expect(types.indexOf("tool-call")).toBeGreaterThan(types.indexOf("text-delta"));
    expect(types.indexOf("tool-result")).toBeGreaterThan(types.indexOf("tool-call"));
    expect(types.filter((t) => t === "step-finish")).toHaveLength(2);
    expect(types.at(-1)).toBe("finish");
    const deltas = events.filter((e) => e.type === "text-delta");
    expect(deltas.length).toBeGreaterThan(2);
    const step2Text = deltas
      .filter((e) => e.step === 2)
      .map((e) => (e as { text: string }).text)
      .join("");
    expect(step2Text).toBe("The account value is $539.");
    const toolResult = events.find((e) => e.type === "tool-result");
    expect(toolResult).toMatchObject({ toolCall: { id: "s1" }, message: { tool_call_id: "s1" } });
    const finish = events.at(-1) as Extract<ToolLoopEvent, { type: "finish" }>;
    expect(finish.stoppedBy).toBe("answer");
    expect(finish.text).toBe("The account value is $539.");
    expect(finish.usage?.total_tokens).toBe(30);
    expect(finish.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "assistant"]);
  });

  it("yields each tool result as its call finishes, while the history keeps the call order", async () => {
    const model = new ScriptedChatModel([
      {
        toolCalls: [
          { id: "late", name: "slow", arguments: '{"ms": 1000}' },
          { id: "early", name: "get_recent_customers", arguments: '{"limit": 1}' },
        ],
      },
      { text: "ok" },
    ]);
    const order: string[] = [];
    let finish: Extract<ToolLoopEvent, { type: "finish" }> | undefined;
    for await (const event of streamToolLoop({ model, messages: question, toolset })) {
      if (event.type === "tool-result") order.push(event.toolCall.id);
      if (event.type === "finish") finish = event;
    }
    expect(order).toEqual(["early", "late"]);
    expect(toolMessages(finish!.messages).map((m) => m.tool_call_id)).toEqual(["late", "early"]);
  });

  it("an abort during a step's tool calls ends the stream with kind 'aborted'", async () => {
    const controller = new AbortController();
    const model = new ScriptedChatModel([
      { text: "Working on it.", toolCalls: [{ name: "slow", arguments: '{"ms": 5000}' }] },
    ]);
    const seen: string[] = [];
    const run = async () => {
      for await (const event of streamToolLoop({
        model,
        messages: question,
        toolset,
        signal: controller.signal,
      })) {
        seen.push(event.type);
        if (event.type === "tool-call") controller.abort();
      }
    };
    const error = await run().catch((e: unknown) => e);
    expect(isLlmuxError(error) && error.kind).toBe("aborted");
    expect(seen).toContain("text-delta");
    expect(seen).not.toContain("finish");
  });

  it("reports the step limit in the finish event", async () => {
    const model = new ScriptedChatModel(() => ({
      toolCalls: [{ name: "get_recent_customers", arguments: "{}" }],
    }));
    let finish: ToolLoopEvent | undefined;
    for await (const event of streamToolLoop({ model, messages: question, toolset, maxSteps: 2 }))
      finish = event;
    expect(finish).toMatchObject({ type: "finish", stoppedBy: "max_steps" });
  });
});
