import { accumulateStream, type ChatRequest, isLlmuxError, type LlmuxError } from "@llmux/core";
import { type FakeAnthropicServer, startFakeAnthropic } from "@llmux/provider-testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnthropic, defaultAnthropicMaxTokens } from "../src/index.js";

let server: FakeAnthropicServer;

beforeAll(async () => {
  server = await startFakeAnthropic();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

const model = (name = "claude-sonnet-4-6") =>
  createAnthropic({ apiKey: "sk-ant-test-key-000000", baseURL: server.baseURL })(name);
const sent = () => server.requests.at(-1)!.body as Record<string, unknown>;

async function failure(promise: Promise<unknown>): Promise<LlmuxError> {
  try {
    await promise;
  } catch (error) {
    if (isLlmuxError(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

describe("AnthropicChatModel against the fake Messages API", () => {
  it("has the id anthropic/<model>", () => {
    expect(model("claude-haiku-4-5").id).toBe("anthropic/claude-haiku-4-5");
  });

  it("sends system messages as `system`, merges consecutive user turns, defaults max_tokens per model", async () => {
    server.enqueue({
      kind: "text",
      text: "Hello Alice",
      usage: { input: 20, output: 3, cacheRead: 100, cacheWrite: 7 },
    });
    const result = await model().chat({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "user", content: [{ type: "text", text: "I am Alice" }] },
      ],
    });
    expect(result.choices[0]!.message.content).toBe("Hello Alice");
    expect(result.usage).toEqual({
      prompt_tokens: 127,
      completion_tokens: 3,
      total_tokens: 130,
      prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 7 },
    });
    const body = sent();
    expect(body.system).toEqual([{ type: "text", text: "Be brief." }]);
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Hi" },
          { type: "text", text: "I am Alice" },
        ],
      },
    ]);
    expect(body.max_tokens).toBe(defaultAnthropicMaxTokens("claude-sonnet-4-6"));
    expect(body.max_tokens).toBe(64000);
    expect(result.llmux?.provider).toBe("anthropic");
  });

  it("max_completion_tokens, temperature, stop and user are sent under Anthropic's names", async () => {
    await model().chat({
      messages: [{ role: "user", content: "Hi" }],
      max_completion_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop: "END",
      user: "user-42",
    });
    const body = sent();
    expect(body).toMatchObject({
      max_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ["END"],
      metadata: { user_id: "user-42" },
    });
  });

  it("unsupported settings come back as warnings, not silently dropped", async () => {
    const result = await model().chat({
      messages: [{ role: "user", content: "Hi" }],
      seed: 1,
      frequency_penalty: 0.5,
    });
    expect(result.llmux?.warnings?.map((w) => w.setting)).toEqual(["seed", "frequency_penalty"]);
    expect(sent().seed).toBeUndefined();
  });

  it("a full tool round trip: tools, tool_use, tool_result (with is_error) accepted by the API's rules", async () => {
    server.enqueue(
      {
        kind: "tool_calls",
        calls: [
          { name: "get_weather", arguments: { city: "Paris" }, id: "toolu_A" },
          { name: "get_weather", arguments: { city: "Rome" }, id: "toolu_B" },
        ],
      },
      { kind: "text", text: "Paris is sunny; Rome failed." },
    );
    const request: ChatRequest = {
      messages: [{ role: "user", content: "Weather in Paris and Rome?" }],
      tools: [weatherTool],
    };
    const first = await model().chat(request);
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    const calls = first.choices[0]!.message.tool_calls!;
    expect(calls.map((c) => [c.id, c.function.name, c.function.arguments])).toEqual([
      ["toolu_A", "get_weather", '{"city":"Paris"}'],
      ["toolu_B", "get_weather", '{"city":"Rome"}'],
    ]);
    const second = await model().chat({
      ...request,
      messages: [
        ...request.messages,
        first.choices[0]!.message,
        { role: "tool", tool_call_id: "toolu_A", content: "sunny" },
        { role: "tool", tool_call_id: "toolu_B", content: "upstream timeout", is_error: true },
      ],
    });
    expect(second.choices[0]!.message.content).toBe("Paris is sunny; Rome failed.");
    const normalized = server.requests.at(-1)!.normalized;
    expect(normalized.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
    expect(normalized.messages[2]!.toolResults).toEqual([
      { toolCallId: "toolu_A", text: "sunny", isError: false },
      { toolCallId: "toolu_B", text: "upstream timeout", isError: true },
    ]);
    expect(sent().tools).toEqual([
      {
        name: "get_weather",
        description: "Weather for a city",
        input_schema: weatherTool.function.parameters,
      },
    ]);
  });

  it("parallel_tool_calls: false becomes disable_parallel_tool_use; tool_choice maps to auto/any/tool/none", async () => {
    const base = { messages: [{ role: "user" as const, content: "x" }], tools: [weatherTool] };
    await model().chat({ ...base, parallel_tool_calls: false });
    expect(sent().tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
    await model().chat({ ...base, tool_choice: "required" });
    expect(sent().tool_choice).toEqual({ type: "any" });
    await model().chat({
      ...base,
      tool_choice: { type: "function", function: { name: "get_weather" } },
      parallel_tool_calls: false,
    });
    expect(sent().tool_choice).toEqual({
      type: "tool",
      name: "get_weather",
      disable_parallel_tool_use: true,
    });
    await model().chat({ ...base, tool_choice: "none" });
    expect(sent().tool_choice).toEqual({ type: "none" });
  });

  it("tool names Anthropic rejects (dots, slashes) are encoded on the way out and decoded on the way back", async () => {
    const tool = {
      type: "function" as const,
      function: { name: "fs/read.file", parameters: { type: "object", properties: {} } },
    };
    server.enqueue({ kind: "tool_calls", calls: [{ name: "fs_read_file", arguments: {} }] });
    const result = await model().chat({ messages: [{ role: "user", content: "read" }], tools: [tool] });
    expect((sent().tools as Array<{ name: string }>)[0]!.name).toBe("fs_read_file");
    expect(result.choices[0]!.message.tool_calls![0]!.function.name).toBe("fs/read.file");
    expect(result.llmux?.warnings?.some((w) => /fs_read_file/.test(w.message))).toBe(true);
  });

  it("tool-call ids from other providers are rewritten so tool_use and tool_result still pair", async () => {
    await model().chat({
      messages: [
        { role: "user", content: "x" },
        {
          role: "assistant",
          tool_calls: [
            {
              id: "functions.get_weather:0",
              type: "function",
              function: { name: "get_weather", arguments: "{}" },
            },
          ],
        },
        { role: "tool", tool_call_id: "functions.get_weather:0", content: "ok" },
      ],
      tools: [weatherTool],
    });
    const [, assistant, tool] = server.requests.at(-1)!.normalized.messages;
    expect(assistant!.toolCalls[0]!.id).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(tool!.toolResults[0]!.toolCallId).toBe(assistant!.toolCalls[0]!.id);
  });

  it("images: data URLs become base64 sources, https URLs become url sources", async () => {
    await model().chat({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
          ],
        },
      ],
    });
    const content = (sent().messages as Array<{ content: unknown[] }>)[0]!.content;
    expect(content.slice(1)).toEqual([
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
    ]);
  });

  it("streams text, reasoning and tool calls as OpenAI-shaped chunks", async () => {
    server.enqueue(
      { kind: "text", text: "The answer is 42.", reasoning: "Think hard." },
      {
        kind: "tool_calls",
        text: "Checking.",
        calls: [
          { name: "get_weather", arguments: { city: "Oslo" } },
          { name: "get_weather", arguments: {} },
        ],
      },
    );
    const text = await accumulateStream(model().stream({ messages: [{ role: "user", content: "?" }] }));
    expect(text.choices[0]!.message).toMatchObject({
      content: "The answer is 42.",
      reasoning_content: "Think hard.",
    });
    const tools = await accumulateStream(
      model().stream({ messages: [{ role: "user", content: "?" }], tools: [weatherTool] }),
    );
    expect(tools.choices[0]!.message.content).toBe("Checking.");
    expect(tools.choices[0]!.message.tool_calls!.map((c) => c.function.arguments)).toEqual([
      '{"city":"Oslo"}',
      "{}",
    ]);
    expect(server.requests.at(-1)!.stream).toBe(true);
  });
});

describe("extended thinking across a tool loop", () => {
  const thinking = { anthropic: { thinking: { type: "enabled", budget_tokens: 1024 } } };
  const ask: ChatRequest = {
    messages: [{ role: "user", content: "Weather in Oslo?" }],
    tools: [weatherTool],
    max_completion_tokens: 2048,
    providerOptions: thinking,
  };
  const followUp = (assistant: ChatRequest["messages"][number], id: string): ChatRequest => ({
    ...ask,
    messages: [...ask.messages, assistant, { role: "tool", tool_call_id: id, content: "12°C, rain" }],
  });

  for (const mode of ["chat", "stream"] as const) {
    it(`${mode}: the signed thinking block comes back with the turn that called the tool, as the API requires`, async () => {
      server.enqueue(
        {
          kind: "tool_calls",
          reasoning: "The user wants Oslo's weather; call the tool.",
          calls: [{ name: "get_weather", arguments: { city: "Oslo" } }],
        },
        { kind: "text", text: "12°C and rain in Oslo." },
      );
      const first = mode === "chat" ? await model().chat(ask) : await accumulateStream(model().stream(ask));
      const message = first.choices[0]!.message;
      expect(message.reasoning_content).toBe("The user wants Oslo's weather; call the tool.");
      expect(message.thinking_blocks).toEqual([
        {
          type: "thinking",
          thinking: "The user wants Oslo's weather; call the tool.",
          signature: expect.stringMatching(/^fake-sig-/),
        },
      ]);
      const answer = await model().chat(followUp(message, message.tool_calls![0]!.id));
      expect(answer.choices[0]!.message.content).toBe("12°C and rain in Oslo.");
      const turn = (sent().messages as { content: { type: string; signature?: string }[] }[])[1]!;
      expect(turn.content.map((b) => b.type)).toEqual(["thinking", "tool_use"]);
      const issued = message.thinking_blocks![0] as { signature: string };
      expect(turn.content[0]!.signature).toBe(issued.signature);
    });
    it(`${mode}: a redacted (encrypted) thinking block comes back as it was sent, after the signed one`, async () => {
      const data = Buffer.from("encrypted reasoning").toString("base64");
      server.enqueue(
        {
          kind: "tool_calls",
          reasoning: "Call the tool.",
          redactedReasoning: data,
          calls: [{ name: "get_weather", arguments: { city: "Oslo" } }],
        },
        { kind: "text", text: "Rain." },
      );
      const first = mode === "chat" ? await model().chat(ask) : await accumulateStream(model().stream(ask));
      const message = first.choices[0]!.message;
      expect(message.thinking_blocks).toEqual([
        { type: "thinking", thinking: "Call the tool.", signature: expect.stringMatching(/^fake-sig-/) },
        { type: "redacted_thinking", data },
      ]);
      expect(message.reasoning_content).toBe("Call the tool."); // encrypted reasoning is not text
      await model().chat(followUp(message, message.tool_calls![0]!.id));
      const turn = (sent().messages as { content: { type: string; data?: string }[] }[])[1]!;
      expect(turn.content.map((b) => b.type)).toEqual(["thinking", "redacted_thinking", "tool_use"]);
      expect(turn.content[1]!.data).toBe(data);
    });
  }

  it("without the thinking blocks the API's 400 comes back typed, naming the requirement", async () => {
    server.enqueue({
      kind: "tool_calls",
      reasoning: "Call the tool.",
      calls: [{ name: "get_weather", arguments: { city: "Oslo" } }],
    });
    const message = (await model().chat(ask)).choices[0]!.message;
    const { thinking_blocks: _dropped, ...withoutThinking } = message;
    const error = await failure(model().chat(followUp(withoutThinking, message.tool_calls![0]!.id)));
    expect(error.kind).toBe("bad_request");
    expect(error.message).toContain("must start with a thinking block");
  });

  it("reasoning from another provider (no signature) is not sent as an Anthropic thinking block", async () => {
    server.enqueue({ kind: "text", text: "ok" });
    await model().chat({
      messages: [
        { role: "user", content: "hi" },
        {
          role: "assistant",
          content: "hello",
          reasoning_content: "from deepseek",
          thinking_blocks: [{ type: "thinking", thinking: "from deepseek" }],
        },
        { role: "user", content: "again" },
      ],
    });
    const turn = (sent().messages as { content: { type: string }[] }[])[1]!;
    expect(turn.content.map((b) => b.type)).toEqual(["text"]);
  });
});

describe("errors", () => {
  const ask = { messages: [{ role: "user" as const, content: "Hi" }] };

  it("429 with retry-after → rate_limit, retryable, retryAfterMs", async () => {
    server.enqueue({ kind: "error", error: { type: "rate_limit", retryAfterSeconds: 7 } });
    const error = await failure(model().chat(ask));
    expect(error).toMatchObject({
      kind: "rate_limit",
      status: 429,
      retryable: true,
      retryAfterMs: 7000,
      provider: "anthropic",
      code: "rate_limit_error",
    });
  });

  it("529 overloaded_error → server, retryable, code overloaded_error (streaming too)", async () => {
    server.enqueue({ kind: "error", error: { type: "overloaded" } });
    const error = await failure(accumulateStream(model().stream(ask)));
    expect(error).toMatchObject({ kind: "server", status: 529, retryable: true, code: "overloaded_error" });
  });

  it("overloaded_error sent inside a started stream → server, retryable, after the partial text", async () => {
    server.enqueueStreamError("overloaded_error", "Overloaded", 4);
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of model().stream(ask)) seen.push(chunk.choices[0]?.delta.content ?? "");
      })(),
    );
    expect(error).toMatchObject({
      kind: "server",
      retryable: true,
      code: "overloaded_error",
      provider: "anthropic",
    });
    expect(error.message).toMatch(/inside the stream/);
    expect(seen.join("")).not.toBe("");
  });

  it("401 → auth; prompt too long → context_window; both not retryable", async () => {
    server.enqueue(
      { kind: "error", error: { type: "auth" } },
      { kind: "error", error: { type: "context_window" } },
    );
    expect(await failure(model().chat(ask))).toMatchObject({ kind: "auth", retryable: false });
    expect(await failure(model().chat(ask))).toMatchObject({ kind: "context_window", retryable: false });
  });

  it('400 "Output blocked by content filtering policy" → content_policy', async () => {
    server.enqueue({ kind: "error", error: { type: "content_policy" } });
    expect(await failure(model().chat(ask))).toMatchObject({
      kind: "content_policy",
      retryable: false,
      status: 400,
    });
  });

  it("an API key never appears in an error message", async () => {
    server.enqueue({
      kind: "error",
      error: { type: "bad_request", message: "bad key sk-ant-test-key-000000" },
    });
    const error = await failure(model().chat(ask));
    expect(error.message).not.toContain("sk-ant-test-key-000000");
  });

  it("a request the real API would reject gets its 400 from the fake, typed bad_request with the field", async () => {
    const error = await failure(
      model().chat({
        messages: [{ role: "user", content: "x" }],
        tools: [
          { type: "function", function: { name: "t", parameters: { type: "object", properties: {} } } },
          { type: "function", function: { name: "t", parameters: { type: "object", properties: {} } } },
        ],
      }),
    );
    expect(error.kind).toBe("bad_request");
    expect(error.message).toMatch(/unique/);
  });

  it("connection reset → connection; cut stream → invalid_response; garbage body → invalid_response", async () => {
    server.enqueue({ kind: "fault", fault: "reset" });
    expect((await failure(model().chat(ask))).kind).toBe("connection");
    server.enqueue({ kind: "fault", fault: "cut_stream", afterEvents: 3 });
    const cut = await failure(accumulateStream(model().stream(ask)));
    expect(cut.kind).toBe("invalid_response");
    expect(cut.message).toMatch(/cut/);
    server.enqueue({ kind: "fault", fault: "invalid_json" });
    expect((await failure(model().chat(ask))).kind).toBe("invalid_response");
    server.enqueue({ kind: "fault", fault: "invalid_json" });
    expect((await failure(accumulateStream(model().stream(ask)))).kind).toBe("invalid_response");
  });

  it("an empty 200 body → invalid_response, for chat and stream", async () => {
    server.enqueue({ kind: "fault", fault: "empty_body" }, { kind: "fault", fault: "empty_body" });
    expect((await failure(model().chat(ask))).kind).toBe("invalid_response");
    expect((await failure(accumulateStream(model().stream(ask)))).kind).toBe("invalid_response");
  });

  it("finish reasons: length and content_filter", async () => {
    server.enqueue(
      { kind: "text", text: "cut", finishReason: "length" },
      { kind: "text", text: "cut", finishReason: "length" },
    );
    expect((await model().chat(ask)).choices[0]!.finish_reason).toBe("length");
    expect((await accumulateStream(model().stream(ask))).choices[0]!.finish_reason).toBe("length");
    server.enqueue({ kind: "text", text: "", finishReason: "content_filter" });
    expect((await model().chat(ask)).choices[0]!.finish_reason).toBe("content_filter");
  });

  it("timeoutMs → timeout; the caller's abort → aborted (chat and stream)", async () => {
    server.enqueue({ kind: "text", text: "late", delayMs: 2000 });
    expect((await failure(model().chat(ask, { timeoutMs: 50 }))).kind).toBe("timeout");
    server.enqueue({ kind: "text", text: "slow stream of words here", chunkDelayMs: 300 });
    const controller = new AbortController();
    const chunks: unknown[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of model().stream(ask, { signal: controller.signal })) {
          chunks.push(chunk);
          controller.abort();
        }
      })(),
    );
    expect(error.kind).toBe("aborted");
    expect(chunks.length).toBeGreaterThan(0);
  });

  it("no API key → auth error naming ANTHROPIC_API_KEY, before any request", async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const error = await failure(
        createAnthropic({ baseURL: server.baseURL })("claude-sonnet-4-6").chat(ask),
      );
      expect(error.kind).toBe("auth");
      expect(error.message).toMatch(/ANTHROPIC_API_KEY/);
      expect(server.requests).toHaveLength(0);
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });
});

describe("bad input is rejected before sending, naming the field", () => {
  it.each([
    [{ messages: [] }, "messages"],
    [{ messages: [{ role: "wizard", content: "x" }] }, "messages[0].role"],
    [{ messages: [{ role: "user", content: "" }] }, "messages[0].content"],
    [
      {
        messages: [
          { role: "user", content: "x" },
          {
            role: "assistant",
            tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: "{oops" } }],
          },
        ],
      },
      "messages[1].tool_calls[0].function.arguments",
    ],
    [
      { messages: [{ role: "user", content: "x" }], tools: [{ type: "function", function: { name: "" } }] },
      "tools[0].function.name",
    ],
    [
      {
        messages: [{ role: "user", content: "x" }],
        tools: [weatherTool],
        tool_choice: { type: "function", function: { name: "nope" } },
      },
      "tool_choice.function.name",
    ],
    [{ messages: [{ role: "user", content: "x" }], max_completion_tokens: 0 }, "max_completion_tokens"],
    [{ messages: [{ role: "user", content: "x" }], tools: { name: "t" } }, "tools"],
  ])("%j → bad_request on %s", async (request, param) => {
    const error = await failure(model().chat(request as unknown as ChatRequest));
    expect(error.kind).toBe("bad_request");
    expect(error.param).toBe(param);
    expect(server.requests).toHaveLength(0);
  });
});
