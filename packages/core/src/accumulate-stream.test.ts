import { describe, expect, it } from "vitest";
import {
  accumulateStream,
  type ChatChunk,
  isLlmuxError,
  type LlmuxError,
  resultToChunks,
  StreamAccumulator,
} from "./index.js";
import { fixtureChunks } from "./test-fixtures.js";

async function* slowly(chunks: ChatChunk[]): AsyncIterable<ChatChunk> {
  for (const c of chunks) {
    await Promise.resolve();
    yield c;
  }
}

describe("accumulateStream on recorded provider streams", () => {
  it("joins OpenAI text deltas and keeps the final usage chunk", async () => {
    const result = await accumulateStream(fixtureChunks("openai-chat-stream-text.chunks.txt"));
    const choice = result.choices[0]!;
    expect(choice.finish_reason).toBe("stop");
    expect(choice.message.content?.length).toBeGreaterThan(20);
    expect(choice.message.tool_calls).toBeUndefined();
    expect(result.usage?.total_tokens).toBeGreaterThan(0);
    expect(result.model).toContain("gpt-4.1-nano");
  });

  it("joins OpenAI tool-call arguments streamed in five fragments into valid JSON", async () => {
    const result = await accumulateStream(
      slowly(fixtureChunks("openai-chat-stream-tool-call-arg-deltas.sse")),
    );
    const calls = result.choices[0]!.message.tool_calls!;
    expect(calls).toHaveLength(1);
    expect(calls[0]!.function.name).toBe("get_capital");
    expect(JSON.parse(calls[0]!.function.arguments)).toBeTypeOf("object");
    expect(result.choices[0]!.finish_reason).toBe("tool_calls");
    expect(result.usage).toMatchObject({ prompt_tokens: 53, completion_tokens: 15, total_tokens: 68 });
  });

  it("accepts tool calls whose index starts at 1, after text (Anthropic's OpenAI-compatible endpoint)", async () => {
    const result = await accumulateStream(
      fixtureChunks("anthropic-openai-compat-stream-tool-call-index1.sse"),
    );
    const message = result.choices[0]!.message;
    expect(message.content).toBe("Reading it.");
    expect(message.tool_calls).toHaveLength(1);
    expect(message.tool_calls![0]).toMatchObject({ id: "toolu_sanitized", function: { name: "read_file" } });
    expect(JSON.parse(message.tool_calls![0]!.function.arguments)).toEqual({ path: "a.txt" });
  });

  it("accepts Mistral's complete tool calls sent without an index", async () => {
    const result = await accumulateStream(fixtureChunks("mistral-chat-stream-tool-call.chunks.txt"));
    const call = result.choices[0]!.message.tool_calls![0]!;
    expect(call).toMatchObject({ id: "gSIMJiOkT", type: "function", function: { name: "weather" } });
    expect(JSON.parse(call.function.arguments)).toEqual({ location: "San Francisco" });
    expect(result.choices[0]!.message.content).toBeNull();
  });

  it("ignores the empty name Mistral repeats on the second fragment of an incremental call", async () => {
    const result = await accumulateStream(
      fixtureChunks("mistral-chat-stream-incremental-tool-call.chunks.txt"),
    );
    const call = result.choices[0]!.message.tool_calls![0]!;
    expect(call.function.name).toBe("webSearchTool");
    expect(JSON.parse(call.function.arguments)).toEqual({ query: "current Berlin weather" });
    expect(result.usage?.prompt_tokens_details?.cached_tokens).toBe(128);
  });

  it("keeps xAI reasoning_content and reasoning token usage", async () => {
    const result = await accumulateStream(fixtureChunks("xai-chat-stream-tool-call.chunks.txt"));
    const message = result.choices[0]!.message;
    expect(message.reasoning_content?.length).toBeGreaterThan(10);
    expect(message.tool_calls).toHaveLength(1);
    expect(result.usage?.completion_tokens_details?.reasoning_tokens).toBe(196);
  });
});

const base = { id: "c1", object: "chat.completion.chunk" as const, created: 1, model: "m" };

describe("accumulateStream is strict about malformed streams", () => {
  it("rejects a stream cut before any finish_reason instead of returning a short answer", async () => {
    const chunks = fixtureChunks("openai-chat-stream-text.chunks.txt").filter(
      (c) => !c.choices.some((ch) => ch.finish_reason),
    );
    await expect(accumulateStream(chunks)).rejects.toMatchObject({ kind: "invalid_response" });
    await expect(accumulateStream(chunks)).rejects.toThrow(/cut/);
  });

  it("rejects an empty stream", async () => {
    const err = await accumulateStream([]).catch((e: unknown) => e);
    expect(isLlmuxError(err)).toBe(true);
    expect((err as LlmuxError).message).toMatch(/without any chunk/);
  });

  it("rejects tool-call arguments that arrive before the tool's name", async () => {
    const chunks: ChatChunk[] = [
      {
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, function: { arguments: "{}" } }] },
            finish_reason: null,
          },
        ],
      },
    ];
    await expect(accumulateStream(chunks)).rejects.toThrow(/arguments before its name/);
  });

  it("rejects a tool call whose id changes mid-stream", async () => {
    const acc = new StreamAccumulator();
    acc.push({
      ...base,
      choices: [
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, id: "a", function: { name: "f" } }] },
          finish_reason: null,
        },
      ],
    });
    expect(() =>
      acc.push({
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, id: "b", function: { arguments: "{}" } }] },
            finish_reason: null,
          },
        ],
      }),
    ).toThrow(/changed id from a to b/);
  });

  it("rejects a chunk without a choices array", () => {
    const acc = new StreamAccumulator();
    expect(() => acc.push({ id: "x" } as unknown as ChatChunk)).toThrow(/no "choices" array/);
  });

  it("gives a no-argument tool call `{}` and interleaved calls their index order", async () => {
    const chunks: ChatChunk[] = [
      {
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 2, id: "b", function: { name: "later", arguments: '{"x"' } }] },
            finish_reason: null,
          },
        ],
      },
      {
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 1, id: "a", function: { name: "noargs" } }] },
            finish_reason: null,
          },
        ],
      },
      {
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 2, function: { arguments: ":1}" } }] },
            finish_reason: "tool_calls",
          },
        ],
      },
    ];
    const calls = (await accumulateStream(chunks)).choices[0]!.message.tool_calls!;
    expect(calls.map((c) => [c.id, c.function.name, c.function.arguments])).toEqual([
      ["a", "noargs", "{}"],
      ["b", "later", '{"x":1}'],
    ]);
  });
});

describe("resultToChunks", () => {
  it("round-trips a result with text, reasoning, tool calls and usage through accumulateStream", async () => {
    const original = await accumulateStream(fixtureChunks("xai-chat-stream-tool-call.chunks.txt"));
    const again = await accumulateStream(resultToChunks(original));
    expect(again.choices).toEqual(original.choices);
    expect(again.usage).toEqual(original.usage);
  });
});
