import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeThinkingSignature, startFakeAnthropic, validateAnthropicRequest } from "./index.js";

const tool = (name: string) => ({ name, input_schema: { type: "object", properties: {} } });
const valid = {
  model: "claude-sonnet-4-6",
  max_tokens: 100,
  messages: [
    { role: "user", content: "Weather?" },
    {
      role: "assistant",
      content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } }],
    },
    {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "sunny", is_error: false }],
    },
  ],
  tools: [tool("get_weather")],
};

describe("validateAnthropicRequest: what the Messages API rejects", () => {
  it("accepts a valid tool round trip", () => {
    expect(validateAnthropicRequest(valid)).toBeUndefined();
  });

  it("accepts a thinking tool round trip that sends the signed thinking block back first", () => {
    const [ask, call, result] = valid.messages;
    const signed = {
      type: "thinking",
      thinking: "Look it up.",
      signature: fakeThinkingSignature("Look it up."),
    };
    const turn = { role: "assistant", content: [signed, ...(call!.content as object[])] };
    const body = {
      ...valid,
      thinking: { type: "enabled", budget_tokens: 1024 },
      messages: [ask, turn, result],
    };
    expect(validateAnthropicRequest(body)).toBeUndefined();
  });

  it.each([
    ["max_tokens missing", { ...valid, max_tokens: undefined }, /max_tokens: Field required/],
    [
      "a system role in messages",
      { ...valid, messages: [{ role: "system", content: "x" }, ...valid.messages] },
      /Unexpected role "system"/,
    ],
    [
      "two user turns in a row",
      {
        ...valid,
        messages: [
          { role: "user", content: "a" },
          { role: "user", content: "b" },
        ],
      },
      /roles must alternate/,
    ],
    [
      "tool_result without a matching tool_use",
      {
        ...valid,
        messages: [
          valid.messages[0],
          valid.messages[1],
          { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_X", content: "?" }] },
        ],
      },
      /unexpected `tool_use_id`.*toolu_X/,
    ],
    [
      "tool_use not answered in the next message",
      { ...valid, messages: [valid.messages[0], valid.messages[1], { role: "user", content: "never mind" }] },
      /`tool_use` ids were found without `tool_result` blocks immediately after: toolu_1/,
    ],
    [
      "a tool name with a dot",
      { ...valid, tools: [tool("crm.get_customer")] },
      /tools.0.custom.name: String should match pattern/,
    ],
    [
      "a tool name longer than 64",
      { ...valid, tools: [tool("x".repeat(65))] },
      /String should match pattern/,
    ],
    [
      "an input_schema that is not an object",
      { ...valid, tools: [{ name: "t", input_schema: { type: "array" } }] },
      /input_schema.type: Input should be 'object'/,
    ],
    ["duplicate tool names", { ...valid, tools: [tool("t"), tool("t")] }, /Tool names must be unique/],
    [
      "an empty text block",
      { ...valid, messages: [{ role: "user", content: [{ type: "text", text: "" }] }] },
      /text content blocks must be non-empty/,
    ],
    [
      "a tool_use id with a colon",
      {
        ...valid,
        messages: [
          valid.messages[0],
          { role: "assistant", content: [{ type: "tool_use", id: "fn:0", name: "t", input: {} }] },
        ],
      },
      /tool_use.id: String should match pattern/,
    ],
    [
      "tool_choice naming an unknown tool",
      { ...valid, tool_choice: { type: "tool", name: "nope" } },
      /Tool 'nope' not found/,
    ],
    ["temperature above 1", { ...valid, temperature: 1.5 }, /temperature/],
    [
      "with thinking enabled, a tool-calling turn sent back without its thinking block",
      { ...valid, thinking: { type: "enabled", budget_tokens: 1024 } },
      /messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`/,
    ],
    [
      "a thinking block whose text was changed after it was signed",
      {
        ...valid,
        thinking: { type: "enabled", budget_tokens: 1024 },
        messages: [
          valid.messages[0],
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "edited", signature: fakeThinkingSignature("original") },
              ...(valid.messages[1]!.content as object[]),
            ],
          },
          valid.messages[2],
        ],
      },
      /Invalid `signature` in `thinking` block/,
    ],
  ])("rejects %s", (_what, body, message) => {
    expect(validateAnthropicRequest(body)).toMatch(message);
  });
});

describe("startFakeAnthropic: the HTTP surface", () => {
  let server: Awaited<ReturnType<typeof startFakeAnthropic>>;
  beforeAll(async () => {
    server = await startFakeAnthropic();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());
  const post = (
    body: unknown,
    headers: Record<string, string> = { "x-api-key": "k", "anthropic-version": "2023-06-01" },
  ) =>
    fetch(`${server.baseURL}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("binds to 127.0.0.1 and answers the API's error shape for an invalid request, recording it", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await post({ ...valid, max_tokens: undefined });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: "max_tokens: Field required" },
    });
    expect(server.requests).toHaveLength(1);
  });

  it("requires x-api-key (401 authentication_error) and anthropic-version", async () => {
    expect((await post(valid, {})).status).toBe(401);
    expect((await post(valid, { "x-api-key": "k" })).status).toBe(400);
  });

  it("streams named SSE events (event: + data:) for a scripted reply", async () => {
    server.enqueue({ kind: "text", text: "hello" });
    const res = await post({ ...valid, stream: true });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const text = await res.text();
    expect(text).toMatch(/^event: message_start\ndata: \{/);
    expect(text).toMatch(/event: message_stop\ndata: \{"type":"message_stop"\}\n\n$/);
    expect(server.requests[0]!.normalized.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
  });

  it("429 carries retry-after; 529 is overloaded_error", async () => {
    server.enqueue(
      { kind: "error", error: { type: "rate_limit", retryAfterSeconds: 9 } },
      { kind: "error", error: { type: "overloaded" } },
    );
    const limited = await post(valid);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("9");
    const overloaded = await post(valid);
    expect(overloaded.status).toBe(529);
    expect(await overloaded.json()).toMatchObject({ error: { type: "overloaded_error" } });
  });
});
