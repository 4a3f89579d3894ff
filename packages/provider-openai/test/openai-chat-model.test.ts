import { accumulateStream, type ChatTool, isLlmuxError, type LlmuxError } from "@llmux/core";
import { type FakeOpenAIServer, startFakeOpenAI } from "@llmux/provider-testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOpenAI, OPENAI_COMPATIBLE_PRESETS } from "../src/index.js";

// Every behaviour holds over both transports: the official SDK and the lean undici pool.
const TRANSPORTS = ["sdk", "http"] as const;

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const body = () => server.requests.at(-1)?.body as Record<string, unknown>;
const weather: ChatTool = {
  type: "function",
  function: { name: "weather", parameters: { type: "object", properties: { location: { type: "string" } } } },
};

async function failure(run: () => Promise<unknown>): Promise<LlmuxError> {
  try {
    await run();
  } catch (e) {
    if (isLlmuxError(e)) return e;
    throw e;
  }
  throw new Error("expected a failure");
}

describe.each(TRANSPORTS)("over the %s transport", (transport) => {
  const openai = () =>
    createOpenAI({ transport, apiKey: "sk-test", baseURL: server.baseURL }).chatModel("gpt-4o-mini");

  describe("replaying real OpenAI recordings", () => {
    it("a recorded completion (chat-text.json) maps text and usage", async () => {
      server.enqueue({ kind: "recorded", fixture: "chat-text.json" });
      const result = await openai().chat({ messages: [{ role: "user", content: "Invent a holiday" }] });
      expect(result.choices[0]?.message.content).toMatch(/^\*\*Holiday Name:\*\* Galaxy Day/);
      expect(result.choices[0]?.finish_reason).toBe("stop");
      expect(result.usage).toMatchObject({ prompt_tokens: 16, completion_tokens: 363, total_tokens: 379 });
      expect(result.llmux?.provider).toBe("openai");
    });

    it("a recorded text stream (303 chunks, obfuscation fields, usage chunk) accumulates whole", async () => {
      server.enqueue({ kind: "recorded", fixture: "chat-stream-text.chunks.txt" });
      const result = await accumulateStream(
        openai().stream({ messages: [{ role: "user", content: "Holiday?" }] }),
      );
      expect(result.choices[0]?.message.content).toHaveLength(1724);
      expect(result.choices[0]?.message.content).toMatch(/^\*\*Holiday Name:\*\* Harmony Day/);
      expect(result.usage).toMatchObject({ prompt_tokens: 16, completion_tokens: 300, total_tokens: 316 });
    });

    it("a recorded SSE tool call with arguments in 5 fragments (chat-stream-tool-call-arg-deltas.sse)", async () => {
      server.enqueue({ kind: "recorded", fixture: "chat-stream-tool-call-arg-deltas.sse" });
      const result = await accumulateStream(
        openai().stream({ messages: [{ role: "user", content: "Capital?" }] }),
      );
      expect(result.choices[0]?.message.tool_calls).toEqual([
        {
          id: "call_ZR5UUuTt3pf61kjwAJIYdVMj",
          type: "function",
          function: { name: "get_capital", arguments: '{"country":"UK"}' },
        },
      ]);
      expect(result.choices[0]?.finish_reason).toBe("tool_calls");
      expect(result.usage?.total_tokens).toBe(68);
    });

    it("a recorded 429 insufficient_quota is a rate_limit that waiting will not cure", async () => {
      server.enqueue({ kind: "recorded", fixture: "error-insufficient-quota.json" });
      const e = await failure(() => openai().chat({ messages: [{ role: "user", content: "Hi" }] }));
      expect(e).toMatchObject({
        kind: "rate_limit",
        status: 429,
        retryable: false,
        code: "insufficient_quota",
      });
    });

    it("a recorded 400 unsupported_parameter is bad_request naming the parameter", async () => {
      server.enqueue({ kind: "recorded", fixture: "error-unsupported-parameter.json" });
      const e = await failure(() => openai().chat({ messages: [{ role: "user", content: "Hi" }] }));
      expect(e).toMatchObject({ kind: "bad_request", status: 400, param: "max_tokens", retryable: false });
    });
  });

  describe("OpenAI-compatible presets replay their recordings", () => {
    const preset = (name: "groq" | "mistral" | "xai") =>
      createOpenAI({ transport, preset: name, apiKey: "k", baseURL: server.baseURL }).chatModel("m");
    const ask = {
      messages: [{ role: "user" as const, content: "Weather in San Francisco?" }],
      tools: [weather],
    };

    it("Groq: a whole tool call in one chunk, usage only inside x_groq", async () => {
      server.enqueue({ kind: "recorded", fixture: "groq/chat-stream-tool-call.chunks.txt" });
      const result = await accumulateStream(preset("groq").stream(ask));
      expect(result.choices[0]?.message.tool_calls?.[0]?.function).toEqual({
        name: "weather",
        arguments: "{}",
      });
      expect(result.usage).toMatchObject({ prompt_tokens: 210, completion_tokens: 15, total_tokens: 225 });
      server.enqueue({ kind: "recorded", fixture: "groq/chat-tool-call.json" });
      const whole = await preset("groq").chat(ask);
      expect(whole.choices[0]?.message.tool_calls?.[0]?.id).toBe("ax9fskhev");
      expect(whole.usage?.total_tokens).toBe(233);
    });

    it("Mistral: calls without index or type, and a repeated call delta with an empty name", async () => {
      server.enqueue({ kind: "recorded", fixture: "mistral/chat-stream-tool-call.chunks.txt" });
      const result = await accumulateStream(preset("mistral").stream(ask));
      expect(result.choices[0]?.message.tool_calls?.[0]).toEqual({
        id: "gSIMJiOkT",
        type: "function",
        function: { name: "weather", arguments: '{"location": "San Francisco"}' },
      });
      server.enqueue({ kind: "recorded", fixture: "mistral/chat-stream-incremental-tool-call.chunks.txt" });
      const incremental = await accumulateStream(preset("mistral").stream(ask));
      expect(incremental.choices[0]?.message.tool_calls?.[0]?.function).toEqual({
        name: "webSearchTool",
        arguments: '{"query": "current Berlin weather"}',
      });
      expect(incremental.usage?.prompt_tokens_details?.cached_tokens).toBe(128);
      server.enqueue({ kind: "recorded", fixture: "mistral/chat-tool-call.json" });
      expect((await preset("mistral").chat(ask)).choices[0]?.message.tool_calls?.[0]?.type).toBe("function");
    });

    it("Groq: an error event inside a 200 stream (tool_use_failed, status_code 400) is a bad_request error", async () => {
      server.enqueue({ kind: "recorded", fixture: "groq/chat-stream-tool-use-failed-error.sse" });
      const seen: string[] = [];
      const e = await failure(async () => {
        for await (const chunk of preset("groq").stream(ask))
          seen.push(chunk.choices[0]?.delta.reasoning_content ?? "");
      });
      // Groq's `reasoning` deltas were exposed as reasoning_content before the failure.
      expect(seen.join("").length).toBeGreaterThan(10);
      expect(e).toMatchObject({
        kind: "bad_request",
        status: 400,
        code: "tool_use_failed",
        provider: "groq",
      });
      expect(e.message).toContain("Tool call validation failed");
    });

    it("xAI: reasoning_content is exposed, and reasoning tokens count in completion_tokens", async () => {
      server.enqueue({ kind: "recorded", fixture: "xai/chat-stream-tool-call.chunks.txt" });
      const result = await accumulateStream(preset("xai").stream(ask));
      expect(result.choices[0]?.message.reasoning_content).toMatch(/^First, the user is/);
      // xAI leaves reasoning out of completion_tokens (26 + 196 reasoning; total 513).
      expect(result.usage).toMatchObject({
        prompt_tokens: 291,
        completion_tokens: 222,
        total_tokens: 513,
        completion_tokens_details: { reasoning_tokens: 196 },
        prompt_tokens_details: { cached_tokens: 290 },
      });
      server.enqueue({ kind: "recorded", fixture: "xai/chat-tool-call.json" });
      const whole = await preset("xai").chat(ask);
      expect(whole.choices[0]?.message.tool_calls?.[0]?.function.name).toBe("weather");
      expect(whole.usage?.completion_tokens).toBe(26 + 189);
    });
  });

  describe("what the adapter sends", () => {
    it("always asks for usage on streams, and sends max_completion_tokens", async () => {
      await accumulateStream(
        openai().stream({ messages: [{ role: "user", content: "Hi" }], max_tokens: 50 }),
      );
      expect(body().stream_options).toEqual({ include_usage: true });
      expect(body().max_completion_tokens).toBe(50);
      expect(body().max_tokens).toBeUndefined();
    });

    it("passes tools, tool_choice, parallel_tool_calls and a JSON schema response_format", async () => {
      const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] };
      server.enqueue({ kind: "text", text: '{"answer":"yes"}' });
      const result = await openai().chat({
        messages: [{ role: "user", content: "Answer in JSON" }],
        tools: [weather],
        tool_choice: "auto",
        parallel_tool_calls: false,
        response_format: { type: "json_schema", json_schema: { name: "reply", schema, strict: true } },
        reasoning_effort: "low",
      });
      expect(JSON.parse(result.choices[0]?.message.content ?? "")).toEqual({ answer: "yes" });
      expect(body()).toMatchObject({
        tools: [weather],
        tool_choice: "auto",
        parallel_tool_calls: false,
        response_format: { type: "json_schema", json_schema: { name: "reply", schema, strict: true } },
        reasoning_effort: "low",
      });
    });

    it("never sends llmux-only fields (metadata, providerOptions of other providers)", async () => {
      await openai().chat({
        messages: [{ role: "user", content: "Hi" }],
        metadata: { tag: "x" },
        providerOptions: { anthropic: { thinking: true } },
      });
      expect(Object.keys(body()).sort()).toEqual(["messages", "model"]);
    });

    it("moves images out of tool messages into a user message after the tool results, with a warning", async () => {
      const pixel = "data:image/png;base64,iVBORw0KGgo=";
      const result = await openai().chat({
        messages: [
          { role: "user", content: "Show both charts" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "chart", arguments: "{}" } },
              { id: "call_2", type: "function", function: { name: "chart", arguments: "{}" } },
            ],
          },
          {
            role: "tool",
            tool_call_id: "call_1",
            content: [
              { type: "text", text: "chart 1" },
              { type: "image_url", image_url: { url: pixel } },
            ],
          },
          { role: "tool", tool_call_id: "call_2", content: "chart 2 failed", is_error: true },
        ],
      });
      // The fake rejects image parts in tool messages exactly like OpenAI; this call succeeded.
      const sent = body().messages as Array<Record<string, unknown>>;
      expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "tool", "tool", "user"]);
      expect(sent[2]?.content).toMatch(/chart 1/);
      expect(sent[4]?.content).toEqual([
        { type: "text", text: "Images returned by the tool calls above:" },
        { type: "image_url", image_url: { url: pixel } },
      ]);
      expect(result.llmux?.warnings?.[0]).toMatchObject({
        type: "unsupported-content",
        setting: "messages[2].content[1]",
      });
    });

    it("sends extra headers from the provider and from the call", async () => {
      const model = createOpenAI({
        transport,
        apiKey: "sk-test",
        baseURL: server.baseURL,
        headers: { "x-team": "a" },
      }).chatModel("gpt-4o-mini");
      await model.chat(
        { messages: [{ role: "user", content: "Hi" }] },
        { headers: { "x-request-id": "r-1" } },
      );
      expect(server.requests.at(-1)?.headers).toMatchObject({
        "x-team": "a",
        "x-request-id": "r-1",
        authorization: "Bearer sk-test",
      });
    });
  });

  describe("what the adapter returns", () => {
    it("malformed tool-call arguments are passed through exactly, for the caller to validate", async () => {
      server.enqueue({ kind: "tool_calls", calls: [{ name: "weather", arguments: '{"location": "Par' }] });
      const result = await openai().chat({
        messages: [{ role: "user", content: "Weather?" }],
        tools: [weather],
      });
      expect(result.choices[0]?.message.tool_calls?.[0]?.function.arguments).toBe('{"location": "Par');
      server.enqueue({ kind: "tool_calls", calls: [{ name: "weather", arguments: '{"location": "Par' }] });
      const streamed = await accumulateStream(
        openai().stream({ messages: [{ role: "user", content: "Weather?" }], tools: [weather] }),
      );
      expect(streamed.choices[0]?.message.tool_calls?.[0]?.function.arguments).toBe('{"location": "Par');
    });

    it("a timeout in the middle of a stream is kind timeout, after the chunks already yielded", async () => {
      server.enqueue({ kind: "text", text: "slow words arriving one by one", chunkDelayMs: 300 });
      let chunks = 0;
      const e = await failure(async () => {
        for await (const _ of openai().stream(
          { messages: [{ role: "user", content: "Hi" }] },
          { timeoutMs: 150 },
        ))
          chunks++;
      });
      expect(e.kind).toBe("timeout");
      expect(chunks).toBeGreaterThan(0);
    });
  });

  describe("presets are configuration", () => {
    it("Mistral: required → any, seed → random_seed, max_tokens, no stream_options", async () => {
      const model = createOpenAI({
        transport,
        preset: "mistral",
        apiKey: "k",
        baseURL: server.baseURL,
      }).chatModel("mistral-small");
      expect(model.id).toBe("mistral/mistral-small");
      await accumulateStream(
        model.stream({
          messages: [{ role: "user", content: "Hi" }],
          tools: [weather],
          tool_choice: "required",
          seed: 7,
          max_tokens: 9,
        }),
      ).catch(() => undefined); // the fake speaks OpenAI and refuses "any": only the request matters here
      expect(body()).toMatchObject({ tool_choice: "any", random_seed: 7, max_tokens: 9 });
      expect(body().seed).toBeUndefined();
      expect(body().stream_options).toBeUndefined();
    });

    it("every preset names its key variable and a base URL (or how to set it)", () => {
      for (const preset of Object.values(OPENAI_COMPATIBLE_PRESETS)) {
        expect(preset.apiKeyEnv).toMatch(/^[A-Z_]+_API_KEY$/);
        expect(preset.baseURL ?? preset.baseURLEnv).toBeTruthy();
      }
    });

    it("vLLM runs without a key", async () => {
      const model = createOpenAI({ transport, preset: "vllm", baseURL: server.baseURL, env: {} }).chatModel(
        "qwen3",
      );
      server.enqueue({ kind: "text", text: "local" });
      expect(
        (await model.chat({ messages: [{ role: "user", content: "Hi" }] })).choices[0]?.message.content,
      ).toBe("local");
    });
  });

  describe("configuration errors", () => {
    it("a missing key is an auth error naming OPENAI_API_KEY, raised on the first call", async () => {
      const model = createOpenAI({ transport, env: {}, baseURL: server.baseURL }).chatModel("gpt-4o-mini");
      const e = await failure(() => model.chat({ messages: [{ role: "user", content: "Hi" }] }));
      expect(e.kind).toBe("auth");
      expect(e.message).toContain("OPENAI_API_KEY");
      expect(server.requests).toHaveLength(0);
      const groq = createOpenAI({ transport, preset: "groq", env: {} }).chatModel("llama");
      expect((await failure(() => accumulateStream(groq.stream({ messages: [] })))).message).toContain(
        "GROQ_API_KEY",
      );
    });

    it("reads the key from the environment", async () => {
      const model = createOpenAI({
        transport,
        env: { OPENAI_API_KEY: "sk-env" },
        baseURL: server.baseURL,
      }).chatModel("gpt-4o-mini");
      await model.chat({ messages: [{ role: "user", content: "Hi" }] });
      expect(server.requests.at(-1)?.headers.authorization).toBe("Bearer sk-env");
    });

    it("Azure without a base URL says which variable to set", async () => {
      const model = createOpenAI({ transport, preset: "azure", apiKey: "k", env: {} }).chatModel("gpt-4o");
      const e = await failure(() => model.chat({ messages: [{ role: "user", content: "Hi" }] }));
      expect(e).toMatchObject({ kind: "bad_request", param: "baseURL" });
      expect(e.message).toContain("AZURE_OPENAI_BASE_URL");
    });

    it("an unknown preset is a typed error listing the known ones", () => {
      expect(() => createOpenAI({ transport, preset: "nope" as "groq" })).toThrow(
        /unknown OpenAI-compatible preset "nope".*groq/,
      );
    });

    it("a request the API rejects (tool name with a dot) is bad_request naming the field", async () => {
      const e = await failure(() =>
        openai().chat({
          messages: [{ role: "user", content: "Hi" }],
          tools: [{ type: "function", function: { name: "crm.lookup", parameters: { type: "object" } } }],
        }),
      );
      expect(e).toMatchObject({ kind: "bad_request", status: 400, param: "tools[0].function.name" });
    });

    it("an unreachable server is a connection error, and the key never appears in it", async () => {
      const model = createOpenAI({
        transport,
        apiKey: "sk-secret-123456",
        baseURL: "http://127.0.0.1:9/v1",
      }).chatModel("gpt-4o-mini");
      const e = await failure(() => model.chat({ messages: [{ role: "user", content: "Hi" }] }));
      expect(e.kind).toBe("connection");
      expect(JSON.stringify(e.toJSON())).not.toContain("sk-secret-123456");
    });
  });
});
