import { createServer } from "node:net";
import { accumulateStream, type ChatRequest, isLlmuxError, type LlmuxError } from "@llmux/core";
import { type FakeProviderServer, startFakeOllama } from "@llmux/provider-testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOllama, resolveOllamaHost } from "../src/index.js";

let server: FakeProviderServer;

beforeAll(async () => {
  server = await startFakeOllama({ models: ["llama3.2:latest", "qwen2.5:7b"] });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

const model = (name = "llama3.2") => createOllama({ host: server.baseURL })(name);
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

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

describe("OllamaChatModel against the fake Ollama server", () => {
  it("has the id ollama/<model>", () => {
    expect(model("qwen2.5:7b").id).toBe("ollama/qwen2.5:7b");
  });

  it("sends messages, options and keep_alive; answers with usage", async () => {
    server.enqueue({ kind: "text", text: "Bonjour", usage: { input: 12, output: 2 } });
    const result = await model().chat({
      messages: [
        { role: "system", content: "Answer in French." },
        { role: "user", content: "Hello" },
      ],
      temperature: 0.3,
      max_completion_tokens: 50,
      stop: ["\n\n"],
      providerOptions: { ollama: { num_ctx: 8192, keep_alive: "10m", options: { top_k: 20 } } },
    });
    expect(result.choices[0]!.message.content).toBe("Bonjour");
    expect(result.usage).toEqual({ prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 });
    expect(sent()).toMatchObject({
      model: "llama3.2",
      stream: false,
      keep_alive: "10m",
      options: { temperature: 0.3, num_predict: 50, stop: ["\n\n"], num_ctx: 8192, top_k: 20 },
      messages: [
        { role: "system", content: "Answer in French." },
        { role: "user", content: "Hello" },
      ],
    });
  });

  it("a full tool round trip: whole tool calls get ids; the results go back with tool_name", async () => {
    server.enqueue(
      {
        kind: "tool_calls",
        calls: [
          { name: "get_weather", arguments: { city: "Paris" } },
          { name: "get_weather", arguments: { city: "Rome" } },
        ],
      },
      { kind: "text", text: "Sunny in Paris, rain in Rome." },
    );
    const request: ChatRequest = { messages: [{ role: "user", content: "Weather?" }], tools: [weatherTool] };
    const first = await model().chat(request);
    const calls = first.choices[0]!.message.tool_calls!;
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    expect(calls.map((c) => c.function.arguments)).toEqual(['{"city":"Paris"}', '{"city":"Rome"}']);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    const second = await model().chat({
      ...request,
      messages: [
        ...request.messages,
        first.choices[0]!.message,
        { role: "tool", tool_call_id: calls[0]!.id, content: "sunny" },
        { role: "tool", tool_call_id: calls[1]!.id, content: "service down", is_error: true },
      ],
    });
    expect(second.choices[0]!.message.content).toBe("Sunny in Paris, rain in Rome.");
    const messages = sent().messages as Array<Record<string, unknown>>;
    expect(messages[1]).toEqual({
      role: "assistant",
      content: "",
      tool_calls: [
        { id: calls[0]!.id, function: { name: "get_weather", arguments: { city: "Paris" } } },
        { id: calls[1]!.id, function: { name: "get_weather", arguments: { city: "Rome" } } },
      ],
    });
    expect(messages.slice(2)).toEqual([
      { role: "tool", content: "sunny", tool_name: "get_weather", tool_call_id: calls[0]!.id },
      { role: "tool", content: "Error: service down", tool_name: "get_weather", tool_call_id: calls[1]!.id },
    ]);
    expect(sent().tools).toEqual([{ type: "function", function: weatherTool.function }]);
  });

  it("streams NDJSON: text, thinking and whole tool calls as OpenAI-shaped chunks with stable ids", async () => {
    server.enqueue(
      { kind: "text", text: "The answer is 42.", reasoning: "Let me think." },
      { kind: "tool_calls", calls: [{ name: "get_weather", arguments: { city: "Oslo" } }] },
    );
    const text = await accumulateStream(model().stream({ messages: [{ role: "user", content: "?" }] }));
    expect(text.choices[0]!.message).toMatchObject({
      content: "The answer is 42.",
      reasoning_content: "Let me think.",
    });
    expect(server.requests.at(-1)!.stream).toBe(true);
    const tools = await accumulateStream(
      model().stream({ messages: [{ role: "user", content: "?" }], tools: [weatherTool] }),
    );
    expect(tools.choices[0]!.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
      },
    ]);
  });

  it("images in data URLs go as base64 `images`; URL images are left out with a warning", async () => {
    const result = await model().chat({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Describe" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
          ],
        },
      ],
    });
    expect((sent().messages as Array<Record<string, unknown>>)[0]).toEqual({
      role: "user",
      content: "Describe",
      images: ["iVBORw0KGgo="],
    });
    expect(result.llmux?.warnings?.[0]?.setting).toBe("messages[0].content[2]");
  });

  it('json response_format becomes format: "json"; tool_choice required is a warning', async () => {
    const result = await model().chat({
      messages: [{ role: "user", content: "x" }],
      response_format: { type: "json_object" },
      tools: [weatherTool],
      tool_choice: "required",
    });
    expect(sent().format).toBe("json");
    expect(result.llmux?.warnings?.map((w) => w.setting)).toContain("tool_choice");
  });

  it("listModels() reports the installed models", async () => {
    const models = await createOllama({ host: server.baseURL }).listModels();
    expect(models.map((m) => m.id)).toEqual(["ollama/llama3.2:latest", "ollama/qwen2.5:7b"]);
    expect(models[0]).toMatchObject({ name: "llama3.2:latest", family: "llama", parameterSize: "3.2B" });
  });
});

describe("host resolution", () => {
  it("explicit host, then OLLAMA_HOST (with or without scheme), then 127.0.0.1:11434", () => {
    const saved = process.env.OLLAMA_HOST;
    try {
      delete process.env.OLLAMA_HOST;
      expect(resolveOllamaHost()).toBe("http://127.0.0.1:11434");
      process.env.OLLAMA_HOST = "0.0.0.0:11500";
      expect(resolveOllamaHost()).toBe("http://127.0.0.1:11500");
      process.env.OLLAMA_HOST = "https://ollama.internal:443/";
      expect(resolveOllamaHost()).toBe("https://ollama.internal:443");
      expect(resolveOllamaHost("http://10.0.0.5:11434")).toBe("http://10.0.0.5:11434");
    } finally {
      if (saved === undefined) delete process.env.OLLAMA_HOST;
      else process.env.OLLAMA_HOST = saved;
    }
  });
});

describe("errors", () => {
  const ask = { messages: [{ role: "user" as const, content: "Hi" }] };

  it("Ollama not running → a connection error that says so and names the address", async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const error = await failure(createOllama({ host })("llama3.2").chat(ask));
    expect(error.kind).toBe("connection");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`Ollama is not running at ${host}`);
    const listError = await failure(createOllama({ host }).listModels());
    expect(listError.message).toContain("Ollama is not running");
    const streamError = await failure(accumulateStream(createOllama({ host })("llama3.2").stream(ask)));
    expect(streamError.kind).toBe("connection");
  });

  it("a model that is not pulled → not_found with Ollama's hint", async () => {
    const error = await failure(model("mistral").chat(ask));
    expect(error).toMatchObject({ kind: "not_found", status: 404 });
    expect(error.message).toMatch(/try pulling it first/);
  });

  it("429 → rate_limit with retryAfterMs; 503 busy → server, retryable; 500 → server", async () => {
    server.enqueue(
      { kind: "error", error: { type: "rate_limit", retryAfterSeconds: 2 } },
      { kind: "error", error: { type: "overloaded" } },
      { kind: "error", error: { type: "server" } },
    );
    expect(await failure(model().chat(ask))).toMatchObject({
      kind: "rate_limit",
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(await failure(model().chat(ask))).toMatchObject({ kind: "server", status: 503, retryable: true });
    expect(await failure(accumulateStream(model().stream(ask)))).toMatchObject({
      kind: "server",
      status: 500,
    });
  });

  it("a body Ollama rejects (bad keep_alive) → bad_request with Ollama's message", async () => {
    const error = await failure(
      model().chat({ ...ask, providerOptions: { ollama: { keep_alive: "forever" } } }),
    );
    expect(error.kind).toBe("bad_request");
    expect(error.message).toMatch(/invalid duration/);
  });

  it("connection reset → connection; cut stream → invalid_response; timeout → timeout", async () => {
    server.enqueue({ kind: "fault", fault: "reset" });
    expect((await failure(model().chat(ask))).kind).toBe("connection");
    server.enqueue({ kind: "fault", fault: "cut_stream", afterEvents: 2 });
    const cut = await failure(accumulateStream(model().stream(ask)));
    expect(cut.kind).toBe("invalid_response");
    expect(cut.message).toMatch(/cut/);
    server.enqueue({ kind: "text", text: "late", delayMs: 2000 });
    expect((await failure(model().chat(ask, { timeoutMs: 50 }))).kind).toBe("timeout");
  });

  it("a garbage body → invalid_response, for chat and stream", async () => {
    server.enqueue({ kind: "fault", fault: "invalid_json" }, { kind: "fault", fault: "invalid_json" });
    expect((await failure(model().chat(ask))).kind).toBe("invalid_response");
    expect((await failure(accumulateStream(model().stream(ask)))).kind).toBe("invalid_response");
  });

  it("an empty 200 body → invalid_response, for chat and stream", async () => {
    server.enqueue({ kind: "fault", fault: "empty_body" }, { kind: "fault", fault: "empty_body" });
    expect((await failure(model().chat(ask))).kind).toBe("invalid_response");
    expect((await failure(accumulateStream(model().stream(ask)))).kind).toBe("invalid_response");
  });

  it("finish reasons: length", async () => {
    server.enqueue(
      { kind: "text", text: "cut", finishReason: "length" },
      { kind: "text", text: "cut", finishReason: "length" },
    );
    expect((await model().chat(ask)).choices[0]!.finish_reason).toBe("length");
    expect((await accumulateStream(model().stream(ask))).choices[0]!.finish_reason).toBe("length");
  });

  it("the caller's abort ends a stream with `aborted`", async () => {
    server.enqueue({ kind: "text", text: "one two three four five six", chunkDelayMs: 300 });
    const controller = new AbortController();
    const error = await failure(
      (async () => {
        for await (const _chunk of model().stream(ask, { signal: controller.signal })) controller.abort();
      })(),
    );
    expect(error.kind).toBe("aborted");
  });

  it.each([
    [{ messages: [] }, "messages"],
    [
      {
        messages: [
          { role: "user", content: "x" },
          {
            role: "assistant",
            tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: "[1,2]" } }],
          },
        ],
      },
      "messages[1].tool_calls[0].function.arguments",
    ],
    [{ messages: [{ role: "robot", content: "x" }] }, "messages[0].role"],
    [{ messages: [{ role: "user", content: "x" }], tools: { name: "t" } }, "tools"],
    [
      {
        messages: [{ role: "user", content: "x" }],
        tools: [{ type: "function", function: { name: "t", parameters: "object" } }],
      },
      "tools[0].function.parameters",
    ],
  ])("%j → bad_request on %s, nothing sent", async (request, param) => {
    const error = await failure(model().chat(request as unknown as ChatRequest));
    expect(error).toMatchObject({ kind: "bad_request", param });
    expect(server.requests).toHaveLength(0);
  });
});
