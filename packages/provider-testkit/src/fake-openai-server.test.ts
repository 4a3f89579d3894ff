import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeOpenAIServer, startFakeOpenAI, validateOpenAIRequest } from "./index.js";

const tool = (name: string) => ({ type: "function", function: { name, parameters: { type: "object" } } });
const valid = {
  model: "gpt-4o-mini",
  messages: [
    { role: "user", content: "Weather?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } }],
    },
    { role: "tool", tool_call_id: "call_1", content: "sunny" },
  ],
  tools: [tool("get_weather")],
};

describe("validateOpenAIRequest: what Chat Completions rejects", () => {
  it("accepts a valid tool round trip", () => {
    expect(validateOpenAIRequest(valid)).toBeUndefined();
  });

  it.each([
    ["a missing model", { ...valid, model: undefined }, /you must provide a model parameter/, null],
    ["empty messages", { ...valid, messages: [] }, /empty array/, "messages"],
    [
      "an unknown role",
      { ...valid, messages: [{ role: "robot", content: "x" }] },
      /Invalid value: 'robot'/,
      "messages[0].role",
    ],
    [
      "a tool message without a preceding tool call",
      {
        ...valid,
        messages: [
          { role: "user", content: "x" },
          { role: "tool", tool_call_id: "call_1", content: "x" },
        ],
      },
      /must be a response to a preceeding message with 'tool_calls'/,
      "messages.[1].role",
    ],
    [
      "tool calls left unanswered",
      { ...valid, messages: [valid.messages[0], valid.messages[1], { role: "user", content: "never mind" }] },
      /did not have response messages: call_1/,
      "messages.[1].role",
    ],
    [
      "a tool name with a dot",
      { ...valid, tools: [tool("crm.get")] },
      /does not match pattern/,
      "tools[0].function.name",
    ],
    [
      "a tool name over 64 characters",
      { ...valid, tools: [tool("x".repeat(65))] },
      /string too long/,
      "tools[0].function.name",
    ],
    [
      "an image in a tool message",
      {
        ...valid,
        messages: [
          valid.messages[0],
          valid.messages[1],
          {
            role: "tool",
            tool_call_id: "call_1",
            content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }],
          },
        ],
      },
      /Supported values are: 'text'/,
      "messages[2].content[0].type",
    ],
    ["temperature above 2", { ...valid, temperature: 2.5 }, /decimal above maximum value/, "temperature"],
    [
      "tool_choice without tools",
      { ...valid, tools: undefined, tool_choice: "auto", messages: [valid.messages[0]] },
      /only allowed when 'tools'/,
      "tool_choice",
    ],
    [
      "tool_choice naming an unknown tool",
      { ...valid, tool_choice: { type: "function", function: { name: "nope" } } },
      /'nope' not found/,
      "tool_choice",
    ],
    [
      "stream_options without stream",
      { ...valid, stream_options: { include_usage: true } },
      /only allowed when 'stream' is enabled/,
      "stream_options",
    ],
    [
      "an unknown top-level field",
      { ...valid, enable_thinking: true },
      /Unrecognized request argument supplied: enable_thinking/,
      null,
    ],
  ])("rejects %s", (_what, body, message, param) => {
    const problem = validateOpenAIRequest(body);
    expect(problem?.message).toMatch(message);
    expect(problem?.param).toBe(param);
  });

  it("accepts provider-specific fields when told to, and can refuse reasoning_content like DeepSeek", () => {
    expect(
      validateOpenAIRequest({ ...valid, enable_thinking: true }, { extraParams: ["enable_thinking"] }),
    ).toBeUndefined();
    const withReasoning = {
      ...valid,
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: "b", reasoning_content: "c" },
        { role: "user", content: "d" },
      ],
    };
    expect(validateOpenAIRequest(withReasoning)).toBeUndefined();
    expect(validateOpenAIRequest(withReasoning, { rejectReasoningContentInput: true })?.param).toBe(
      "messages[1].reasoning_content",
    );
  });
});

describe("startFakeOpenAI: the HTTP surface", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startFakeOpenAI({ maxBodyBytes: 10_000 });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());
  const post = (body: unknown, headers: Record<string, string> = { authorization: "Bearer sk-test" }) =>
    fetch(`${server.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("binds to 127.0.0.1, serves /v1/models, and records requests", async () => {
    expect(server.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const models = (await (await fetch(`${server.baseURL}/models`)).json()) as {
      data: Array<{ id: string }>;
    };
    expect(models.data.map((m) => m.id)).toContain("gpt-4o-mini");
    await post(valid);
    expect(server.requests.at(-1)?.normalized.messages.map((m) => m.role)).toEqual([
      "user",
      "assistant",
      "tool",
    ]);
  });

  it("answers 400 with OpenAI's error body, 401 without a key, 413 above the size cap", async () => {
    const bad = await post({ ...valid, model: "" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: {
        message: "you must provide a model parameter",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
    expect((await post(valid, {})).status).toBe(401);
    expect((await post("{not json")).status).toBe(400);
    const big = await post({ ...valid, messages: [{ role: "user", content: "x".repeat(20_000) }] });
    expect(big.status).toBe(413);
  });

  it("streams data: lines with a usage chunk (choices: []) and data: [DONE] when include_usage is set", async () => {
    server.enqueue({ kind: "text", text: "hello there", usage: { input: 3, output: 2 } });
    const res = await post({ ...valid, stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const frames = (await res.text()).split("\n\n").filter(Boolean);
    expect(frames.every((f) => f.startsWith("data: "))).toBe(true);
    expect(frames.at(-1)).toBe("data: [DONE]");
    const usage = JSON.parse(frames.at(-2)!.slice(6));
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    const first = JSON.parse(frames[0]!.slice(6));
    expect(first).toMatchObject({
      object: "chat.completion.chunk",
      usage: null,
      choices: [{ delta: { role: "assistant" } }],
    });
  });

  it("sends no usage chunk without include_usage", async () => {
    const text = await (await post({ ...valid, stream: true })).text();
    expect(text).not.toContain('"usage"');
    expect(text).toMatch(/"finish_reason":"stop"/);
  });

  it("429 carries retry-after and the rate_limit_exceeded code", async () => {
    server.enqueue({ kind: "error", error: { type: "rate_limit", retryAfterSeconds: 12 } });
    const res = await post(valid);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("12");
    expect(await res.json()).toMatchObject({ error: { code: "rate_limit_exceeded", type: "requests" } });
  });

  it("context_length_exceeded is a 400 with param messages", async () => {
    server.enqueue({ kind: "error", error: { type: "context_window" } });
    const res = await post(valid);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "context_length_exceeded", param: "messages" } });
  });

  it("replays other providers' recordings by folder name", async () => {
    server.enqueue({ kind: "recorded", fixture: "deepseek/chat-tool-call.json" });
    const body = (await (await post(valid)).json()) as { model: string };
    expect(body.model).toBe("deepseek-reasoner");
  });

  it("can be served under another path prefix (DashScope's /compatible-mode/v1)", async () => {
    const dashscope = await startFakeOpenAI({ pathPrefix: "/compatible-mode/v1" });
    try {
      expect(dashscope.baseURL).toMatch(/\/compatible-mode\/v1$/);
      const res = await fetch(`${dashscope.baseURL}/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer k", "content-type": "application/json" },
        body: JSON.stringify(valid),
      });
      expect(res.status).toBe(200);
    } finally {
      await dashscope.close();
    }
  });
});
