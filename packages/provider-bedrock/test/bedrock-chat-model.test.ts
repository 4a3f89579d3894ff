import { accumulateStream, type ChatRequest, isLlmuxError, type LlmuxError } from "@llmux/core";
import { type FakeBedrockServer, startFakeBedrock } from "@llmux/provider-testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBedrock } from "../src/index.js";

let server: FakeBedrockServer;
const credentials = { accessKeyId: "AKIDFAKEFAKEFAKE", secretAccessKey: "fake-secret" };

beforeAll(async () => {
  server = await startFakeBedrock();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

const model = (id = "anthropic.claude-3-5-haiku-20241022-v1:0") =>
  createBedrock({ region: "us-east-1", endpoint: server.baseURL, credentials })(id);
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

describe("BedrockChatModel against the fake Bedrock runtime", () => {
  it("has the id bedrock/<modelId>", () => {
    expect(model("amazon.nova-micro-v1:0").id).toBe("bedrock/amazon.nova-micro-v1:0");
  });

  it("Converse: system, merged user turns, inferenceConfig; usage with cache reads", async () => {
    server.enqueue({ kind: "text", text: "Hello Alice", usage: { input: 20, output: 3, cacheRead: 100 } });
    const result = await model().chat({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "user", content: "I am Alice" },
      ],
      max_tokens: 200,
      temperature: 0.5,
      stop: ["END"],
    });
    expect(result.choices[0]!.message.content).toBe("Hello Alice");
    expect(result.usage).toEqual({
      prompt_tokens: 120,
      completion_tokens: 3,
      total_tokens: 123,
      prompt_tokens_details: { cached_tokens: 100 },
    });
    expect(sent()).toMatchObject({
      system: [{ text: "Be brief." }],
      messages: [{ role: "user", content: [{ text: "Hi" }, { text: "I am Alice" }] }],
      inferenceConfig: { maxTokens: 200, temperature: 0.5, stopSequences: ["END"] },
    });
    expect(server.requests.at(-1)!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFAKEFAKEFAKE\/\d{8}\/us-east-1\/bedrock\//,
    );
  });

  it("a full tool round trip: toolConfig, toolUse, toolResult with status error accepted by Bedrock's rules", async () => {
    server.enqueue(
      {
        kind: "tool_calls",
        text: "Let me check.",
        calls: [
          { name: "get_weather", arguments: { city: "Paris" } },
          { name: "get_weather", arguments: { city: "Rome" } },
        ],
      },
      { kind: "text", text: "Sunny in Paris; Rome unknown." },
    );
    const request: ChatRequest = {
      messages: [{ role: "user", content: "Weather?" }],
      tools: [weatherTool],
      tool_choice: "required",
    };
    const first = await model().chat(request);
    expect(sent().toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: "get_weather",
            description: "Weather for a city",
            inputSchema: { json: weatherTool.function.parameters },
          },
        },
      ],
      toolChoice: { any: {} },
    });
    const calls = first.choices[0]!.message.tool_calls!;
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    expect(first.choices[0]!.message.content).toBe("Let me check.");
    expect(calls.map((c) => c.function.arguments)).toEqual(['{"city":"Paris"}', '{"city":"Rome"}']);
    const second = await model().chat({
      messages: [
        ...request.messages,
        first.choices[0]!.message,
        { role: "tool", tool_call_id: calls[0]!.id, content: "sunny" },
        { role: "tool", tool_call_id: calls[1]!.id, content: "service down", is_error: true },
      ],
      tools: [weatherTool],
    });
    expect(second.choices[0]!.message.content).toBe("Sunny in Paris; Rome unknown.");
    expect(server.requests.at(-1)!.normalized.messages[2]!.toolResults).toEqual([
      { toolCallId: calls[0]!.id, text: "sunny", isError: false },
      { toolCallId: calls[1]!.id, text: "service down", isError: true },
    ]);
  });

  it("a tool without a description gets its name as description; a dotted name is encoded and decoded", async () => {
    server.enqueue({ kind: "tool_calls", calls: [{ name: "crm_get_customer", arguments: { id: "12345" } }] });
    const result = await model().chat({
      messages: [{ role: "user", content: "x" }],
      tools: [
        {
          type: "function",
          function: {
            name: "crm.get_customer",
            parameters: { type: "object", properties: { id: { type: "string" } } },
          },
        },
      ],
    });
    const spec = (sent().toolConfig as { tools: Array<{ toolSpec: { name: string; description: string } }> })
      .tools[0]!.toolSpec;
    expect(spec.name).toBe("crm_get_customer");
    expect(spec.description.length).toBeGreaterThan(0);
    expect(result.choices[0]!.message.tool_calls![0]!.function.name).toBe("crm.get_customer");
  });

  it("ConverseStream: event-stream frames become chunks (text, reasoning, tool calls, usage)", async () => {
    server.enqueue(
      {
        kind: "text",
        text: "The answer is 42.",
        reasoning: "Think.",
        usage: { input: 5, output: 7, cacheWrite: 30 },
      },
      { kind: "tool_calls", calls: [{ name: "get_weather", arguments: { city: "Oslo" } }] },
    );
    const text = await accumulateStream(model().stream({ messages: [{ role: "user", content: "?" }] }));
    expect(text.choices[0]!.message).toMatchObject({
      content: "The answer is 42.",
      reasoning_content: "Think.",
    });
    expect(text.usage).toEqual({
      prompt_tokens: 35,
      completion_tokens: 7,
      total_tokens: 42,
      prompt_tokens_details: { cache_write_tokens: 30 },
    });
    const tools = await accumulateStream(
      model().stream({ messages: [{ role: "user", content: "?" }], tools: [weatherTool] }),
    );
    expect(tools.choices[0]!.message.tool_calls![0]!.function).toEqual({
      name: "get_weather",
      arguments: '{"city":"Oslo"}',
    });
    expect(server.requests.at(-1)!.path).toMatch(/\/converse-stream$/);
  });

  it("images as data URLs are sent as bytes", async () => {
    await model().chat({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
          ],
        },
      ],
    });
    const content = (sent().messages as Array<{ content: unknown[] }>)[0]!.content;
    expect(content[1]).toEqual({ image: { format: "png", source: { bytes: "iVBORw0KGgo=" } } });
  });
});

describe("Claude's extended thinking across a tool loop", () => {
  const ask: ChatRequest = {
    messages: [{ role: "user", content: "Weather in Oslo?" }],
    tools: [weatherTool],
    providerOptions: {
      bedrock: { additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } } },
    },
  };
  const followUp = (assistant: ChatRequest["messages"][number], id: string): ChatRequest => ({
    ...ask,
    messages: [...ask.messages, assistant, { role: "tool", tool_call_id: id, content: "12°C, rain" }],
  });
  const claude = () => model("us.anthropic.claude-sonnet-4-20250514-v1:0");

  for (const mode of ["chat", "stream"] as const) {
    it(`${mode}: the signed reasoning block comes back first in the turn that called the tool`, async () => {
      server.enqueue(
        {
          kind: "tool_calls",
          reasoning: "Oslo's weather: call the tool.",
          calls: [{ name: "get_weather", arguments: { city: "Oslo" } }],
        },
        { kind: "text", text: "12°C and rain." },
      );
      const first = mode === "chat" ? await claude().chat(ask) : await accumulateStream(claude().stream(ask));
      const message = first.choices[0]!.message;
      expect(message.reasoning_content).toBe("Oslo's weather: call the tool.");
      expect(message.thinking_blocks).toEqual([
        {
          type: "thinking",
          thinking: "Oslo's weather: call the tool.",
          signature: expect.stringMatching(/^fake-sig-/),
        },
      ]);
      const answer = await claude().chat(followUp(message, message.tool_calls![0]!.id));
      expect(answer.choices[0]!.message.content).toBe("12°C and rain.");
      const turn = (sent().messages as { content: Record<string, unknown>[] }[])[1]!;
      expect(turn.content.map((b) => Object.keys(b)[0])).toEqual(["reasoningContent", "toolUse"]);
    });
    it(`${mode}: redacted (encrypted) reasoning comes back as the bytes it arrived as`, async () => {
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
      const first = mode === "chat" ? await claude().chat(ask) : await accumulateStream(claude().stream(ask));
      const message = first.choices[0]!.message;
      expect(message.thinking_blocks).toEqual([
        { type: "thinking", thinking: "Call the tool.", signature: expect.stringMatching(/^fake-sig-/) },
        { type: "redacted_thinking", data },
      ]);
      await claude().chat(followUp(message, message.tool_calls![0]!.id));
      const turn = (sent().messages as { content: Record<string, { redactedContent?: string }>[] }[])[1]!;
      expect(turn.content.map((b) => Object.keys(b)[0])).toEqual([
        "reasoningContent",
        "reasoningContent",
        "toolUse",
      ]);
      expect(turn.content[1]!.reasoningContent).toEqual({ redactedContent: data });
    });
  }

  it("without the reasoning block the model's error comes back typed, naming the requirement", async () => {
    server.enqueue({
      kind: "tool_calls",
      reasoning: "Call the tool.",
      calls: [{ name: "get_weather", arguments: { city: "Oslo" } }],
    });
    const message = (await claude().chat(ask)).choices[0]!.message;
    const { thinking_blocks: _dropped, ...withoutThinking } = message;
    const error = await failure(claude().chat(followUp(withoutThinking, message.tool_calls![0]!.id)));
    expect(error.kind).toBe("bad_request");
    expect(error.message).toContain("must start with a thinking block");
  });
});

describe("errors", () => {
  const ask = { messages: [{ role: "user" as const, content: "Hi" }] };

  it("ThrottlingException → rate_limit, retryable", async () => {
    server.enqueue({ kind: "error", error: { type: "rate_limit", retryAfterSeconds: 3 } });
    const error = await failure(model().chat(ask));
    expect(error).toMatchObject({
      kind: "rate_limit",
      status: 429,
      retryable: true,
      code: "ThrottlingException",
      provider: "bedrock",
    });
  });

  it("ModelNotReadyException → server, retryable", async () => {
    server.enqueueException("ModelNotReadyException");
    const error = await failure(model().chat(ask));
    expect(error).toMatchObject({ kind: "server", retryable: true, code: "ModelNotReadyException" });
  });

  it("ValidationException: too long → context_window; otherwise bad_request with Bedrock's message", async () => {
    server.enqueue({ kind: "error", error: { type: "context_window" } });
    expect(await failure(model().chat(ask))).toMatchObject({
      kind: "context_window",
      code: "ValidationException",
    });
    const error = await failure(
      model().chat({
        messages: [
          { role: "user", content: "x" },
          { role: "tool", tool_call_id: "nope", content: "?" },
        ],
      }),
    );
    expect(error).toMatchObject({ kind: "bad_request", retryable: false });
    expect(error.message).toMatch(/toolConfig field must be defined/);
  });

  it("an exception frame inside the stream (throttlingException) → rate_limit after the stream started", async () => {
    server.enqueueException("ThrottlingException", "Too many tokens, slow down.", { inStream: true });
    const error = await failure(accumulateStream(model().stream(ask)));
    expect(error.kind).toBe("rate_limit");
    expect(error.message).toMatch(/Too many tokens/);
  });

  it("bad credentials → auth; no access → permission; unknown model → not_found", async () => {
    server.enqueue(
      { kind: "error", error: { type: "auth" } },
      { kind: "error", error: { type: "permission" } },
      { kind: "error", error: { type: "not_found" } },
    );
    expect((await failure(model().chat(ask))).kind).toBe("auth");
    expect((await failure(model().chat(ask))).kind).toBe("permission");
    expect((await failure(model().chat(ask))).kind).toBe("not_found");
  });

  it("connection reset → connection; cut stream → invalid_response; timeout → timeout; abort → aborted", async () => {
    server.enqueue({ kind: "fault", fault: "reset" });
    expect((await failure(model().chat(ask))).kind).toBe("connection");
    server.enqueue({ kind: "fault", fault: "cut_stream", afterEvents: 2 });
    const cut = await failure(accumulateStream(model().stream(ask)));
    expect(cut.kind).toBe("invalid_response");
    server.enqueue({ kind: "text", text: "late", delayMs: 2000 });
    expect((await failure(model().chat(ask, { timeoutMs: 50 }))).kind).toBe("timeout");
    const controller = new AbortController();
    controller.abort();
    expect((await failure(model().chat(ask, { signal: controller.signal }))).kind).toBe("aborted");
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

  it("no credentials anywhere in the standard chain → auth error that says how to provide them", async () => {
    const keys = [
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_PROFILE",
      "AWS_BEARER_TOKEN_BEDROCK",
      "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
      "AWS_CONTAINER_CREDENTIALS_FULL_URI",
      "AWS_WEB_IDENTITY_TOKEN_FILE",
      "AWS_EC2_METADATA_DISABLED",
      "AWS_SHARED_CREDENTIALS_FILE",
      "AWS_CONFIG_FILE",
    ];
    const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    for (const k of keys) delete process.env[k];
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/llmux-test-credentials";
    process.env.AWS_CONFIG_FILE = "/nonexistent/llmux-test-config";
    try {
      const error = await failure(
        createBedrock({ region: "us-east-1", endpoint: server.baseURL })("amazon.nova-micro-v1:0").chat(ask),
      );
      expect(error).toMatchObject({ kind: "auth", code: "CredentialsProviderError" });
      expect(error.message).toMatch(/no AWS credentials found.*createBedrock\(\{ credentials \}\)/);
      expect(server.requests).toHaveLength(0);
    } finally {
      for (const k of keys) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  it("garbage instead of event-stream frames → invalid_response", async () => {
    server.enqueue({ kind: "fault", fault: "invalid_json" });
    expect((await failure(accumulateStream(model().stream(ask)))).kind).toBe("invalid_response");
  });

  it.each([
    [{ messages: [] }, "messages"],
    [{ messages: [{ role: "user", content: "  " }] }, "messages[0].content"],
    [{ messages: [{ role: "user", content: "x" }], tools: { name: "t" } }, "tools"],
    [
      {
        messages: [{ role: "user", content: "x" }],
        tools: [weatherTool],
        tool_choice: { type: "function", function: { name: "other" } },
      },
      "tool_choice.function.name",
    ],
  ])("%j → bad_request on %s, nothing sent", async (request, param) => {
    const error = await failure(model().chat(request as unknown as ChatRequest));
    expect(error).toMatchObject({ kind: "bad_request", param });
    expect(server.requests).toHaveLength(0);
  });
});
