import { accumulateStream, type ChatChunk, isLlmuxError, type LlmuxError } from "@llmux/core";
import { type FakeProviderServer, startFakeAnthropic } from "@llmux/provider-testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnthropic } from "../src/index.js";

let server: FakeProviderServer;
const messages = [{ role: "user" as const, content: "Hi" }];

beforeAll(async () => {
  server = await startFakeAnthropic();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

const model = () => createAnthropic({ apiKey: "test-key", baseURL: server.baseURL })("claude-sonnet-4-6");

async function collect(iterable: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of iterable) out.push(c);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<LlmuxError> {
  try {
    await promise;
  } catch (error) {
    if (isLlmuxError(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("recorded Anthropic responses replayed through the fake server", () => {
  it("parallel tool calls (non-streaming): four tool_use blocks become four tool calls, text kept", async () => {
    server.enqueue({ kind: "recorded", fixture: "messages-parallel-tool-calls.json" });
    const result = await model().chat({ messages });
    const message = result.choices[0]!.message;
    expect(result.choices[0]!.finish_reason).toBe("tool_calls");
    expect(message.content).toMatch(/^I'll help you find out who is the youngest/);
    expect(
      message.tool_calls?.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments).name]),
    ).toEqual([
      ["toolu_0167cfEnoQaPviGdVXA95zcu", "retrieve_entity_info", "Alice"],
      ["toolu_01EEe2V5HD1Ac4rKiUR4HD2T", "retrieve_entity_info", "Bob"],
      ["toolu_01XFyAjstT3966qvRynZyVPo", "retrieve_entity_info", "Charlie"],
      ["toolu_013mnQZbgtK2oe3Mo3XKJsx3", "retrieve_entity_info", "Daisy"],
    ]);
    expect(result.usage).toEqual({ prompt_tokens: 423, completion_tokens: 202, total_tokens: 625 });
  });

  it('tool without arguments (non-streaming) gets "{}"', async () => {
    server.enqueue({ kind: "recorded", fixture: "messages-tool-no-args.json" });
    const result = await model().chat({ messages });
    expect(result.choices[0]!.message.tool_calls).toEqual([
      {
        id: "toolu_01LRmxn9vGM1d2DZSDBowdZ1",
        type: "function",
        function: { name: "updateIssueList", arguments: "{}" },
      },
    ]);
  });

  it("nested tool input (non-streaming) round-trips as JSON text", async () => {
    server.enqueue({ kind: "recorded", fixture: "messages-tool-use.json" });
    const result = await model().chat({ messages });
    const args = JSON.parse(result.choices[0]!.message.tool_calls![0]!.function.arguments);
    expect(args.elements).toHaveLength(4);
    expect(args.elements[3]).toEqual({ location: "Berlin", temperature: -9, condition: "snowy" });
    expect(result.choices[0]!.message.content).toBeNull();
  });

  it("text stream: deltas, pings skipped, usage at the end", async () => {
    server.enqueue({ kind: "recorded", fixture: "messages-stream-text.chunks.txt" });
    const result = await accumulateStream(model().stream({ messages }));
    expect(result.choices[0]!.message.content).toBe(
      "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
    );
    expect(result.choices[0]!.finish_reason).toBe("stop");
    expect(result.usage).toEqual({ prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 });
    expect(result.id).toBe("msg_01QC4g3HwBThD4BaNtBckFDJ");
  });

  it("input_json_delta fragments (empty first, ping in between) assemble into the arguments", async () => {
    server.enqueue({ kind: "recorded", fixture: "messages-stream-tool-input-json-deltas.chunks.txt" });
    const result = await accumulateStream(model().stream({ messages }));
    const call = result.choices[0]!.message.tool_calls![0]!;
    expect(call.id).toBe("toolu_01KFbKqPYSuAKujiL6mTfzYA");
    expect(JSON.parse(call.function.arguments)).toEqual({
      elements: [{ location: "San Francisco", temperature: 58, condition: "sunny" }],
    });
    expect(result.choices[0]!.finish_reason).toBe("tool_calls");
  });

  it('tool block at index 1 after text, with no arguments: tool call index 0 with "{}"', async () => {
    server.enqueue({ kind: "recorded", fixture: "messages-stream-tool-no-args.chunks.txt" });
    const chunks = await collect(model().stream({ messages }));
    const toolDeltas = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
    expect(toolDeltas.every((d) => d.index === 0)).toBe(true);
    const result = await accumulateStream(chunks);
    expect(result.choices[0]!.message.content).toBe("I'll update the issue list for you.");
    expect(result.choices[0]!.message.tool_calls).toEqual([
      {
        id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP",
        type: "function",
        function: { name: "updateIssueList", arguments: "{}" },
      },
    ]);
  });

  it("message_delta usage (input 61) replaces message_start's (43)", async () => {
    server.enqueue({ kind: "recorded", fixture: "messages-stream-message-delta-input-tokens.chunks.txt" });
    const result = await accumulateStream(model().stream({ messages }));
    expect(result.choices[0]!.message.content).toBe("pong");
    expect(result.usage).toEqual({ prompt_tokens: 61, completion_tokens: 2, total_tokens: 63 });
  });

  it("a duplicated message_start is ignored", async () => {
    server.enqueue({ kind: "recorded", fixture: "messages-stream-duplicate-message-start.chunks.txt" });
    const chunks = await collect(model().stream({ messages }));
    expect(chunks.filter((c) => c.choices[0]?.delta.role === "assistant")).toHaveLength(1);
    const result = await accumulateStream(chunks);
    expect(result.choices[0]!.message.content).toBe("Hello, World!");
    expect(result.usage?.completion_tokens).toBe(227);
  });

  it("a second message_start spliced into a tool input is reported as a malformed stream, not a wrong answer", async () => {
    server.enqueue({ kind: "recorded", fixture: "messages-stream-spliced-message-start.chunks.txt" });
    const error = await failure(accumulateStream(model().stream({ messages })));
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toMatch(/msg_second.*msg_first.*restarted/);
  });

  it("thinking stream (raw SSE with event: lines): reasoning_content, then the answer; cache fields in usage", async () => {
    server.enqueue({ kind: "recorded", fixture: "messages-stream-thinking.sse" });
    const result = await accumulateStream(model().stream({ messages }));
    const message = result.choices[0]!.message;
    expect(message.reasoning_content).toMatch(/^This is a straightforward question about pedestrian safety/);
    expect(message.content).toMatch(/cross/i);
    expect(result.usage?.prompt_tokens).toBe(43);
  });
});
