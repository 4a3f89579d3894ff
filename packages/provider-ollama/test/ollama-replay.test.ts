import { accumulateStream, type ChatChunk, isLlmuxError, type LlmuxError } from "@llmux/core";
import { type FakeProviderServer, startFakeOllama } from "@llmux/provider-testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOllama } from "../src/index.js";

let server: FakeProviderServer;
const messages = [{ role: "user" as const, content: "What is the weather in Tokyo?" }];

beforeAll(async () => {
  server = await startFakeOllama();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

const model = () => createOllama({ host: server.baseURL })("llama3.2");

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

describe("recorded Ollama responses replayed through the fake server", () => {
  it("a whole tool call without id gets a synthesised id and JSON-string arguments", async () => {
    server.enqueue({ kind: "recorded", fixture: "chat-tool-call.json" });
    const result = await model().chat({ messages });
    const call = result.choices[0]!.message.tool_calls![0]!;
    expect(call.id).toMatch(/^call_[0-9a-f]{16}0$/);
    expect(call.function).toEqual({ name: "get_weather", arguments: '{"city":"Tokyo"}' });
    expect(result.choices[0]!.finish_reason).toBe("tool_calls");
    expect(result.usage).toEqual({ prompt_tokens: 169, completion_tokens: 18, total_tokens: 187 });
  });

  it("the synthesised id is stable: the same response gets the same id twice", async () => {
    server.enqueue(
      { kind: "recorded", fixture: "chat-tool-call.json" },
      { kind: "recorded", fixture: "chat-tool-call.json" },
    );
    const a = await model().chat({ messages });
    const b = await model().chat({ messages });
    expect(a.choices[0]!.message.tool_calls![0]!.id).toBe(b.choices[0]!.message.tool_calls![0]!.id);
  });

  it("NDJSON tool-call stream: one delta with the whole call, finish reason tool_calls despite done_reason stop", async () => {
    server.enqueue({ kind: "recorded", fixture: "chat-stream-tool-call.ndjson" });
    const chunks = await collect(model().stream({ messages }));
    const result = await accumulateStream(chunks);
    expect(result.choices[0]!.finish_reason).toBe("tool_calls");
    expect(result.choices[0]!.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Tokyo"}' },
      },
    ]);
    expect(result.usage).toEqual({ prompt_tokens: 169, completion_tokens: 15, total_tokens: 184 });
  });

  it("NDJSON text stream", async () => {
    server.enqueue({ kind: "recorded", fixture: "chat-stream-text.ndjson" });
    const result = await accumulateStream(model().stream({ messages }));
    expect(result.choices[0]!.message.content).toBe("The");
    expect(result.choices[0]!.finish_reason).toBe("stop");
    expect(result.usage).toEqual({ prompt_tokens: 26, completion_tokens: 282, total_tokens: 308 });
  });

  it('an {"error"} line in the middle of a 200 stream becomes a server error after the text already sent', async () => {
    server.enqueue({ kind: "recorded", fixture: "generate-stream-midstream-error.ndjson" });
    const seen: ChatChunk[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of model().stream({ messages })) seen.push(chunk);
      })(),
    );
    expect(error.kind).toBe("server");
    expect(error.message).toMatch(/an error was encountered while running the model/);
    expect(error.retryable).toBe(true);
  });
});
