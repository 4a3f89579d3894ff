import { accumulateStream, isLlmuxError } from "@llmux/core";
import { type FakeOpenAIServer, startFakeOpenAI } from "@llmux/provider-testkit";
import { runConformance } from "@llmux/provider-testkit/conformance";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDeepSeek } from "../src/index.js";

// DeepSeek's API refuses reasoning_content sent back: the fake does too.
const startDeepSeekFake = () =>
  startFakeOpenAI({ rejectReasoningContentInput: true, models: ["deepseek-chat"] });

runConformance({
  name: "provider-deepseek",
  provider: "deepseek",
  startServer: startDeepSeekFake,
  createModel: (server) =>
    createDeepSeek({ apiKey: "sk-test", baseURL: server.baseURL }).chatModel("deepseek-chat"),
  unsupported: ["cache_write_usage"],
});

describe("DeepSeek specifics", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startDeepSeekFake();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());
  const model = () =>
    createDeepSeek({ apiKey: "sk-test", baseURL: server.baseURL }).chatModel("deepseek-reasoner");
  const ask = { messages: [{ role: "user" as const, content: "Weather in San Francisco?" }] };

  it("replays a recorded deepseek-reasoner tool call: reasoning_content, tool call, cache usage", async () => {
    server.enqueue({ kind: "recorded", fixture: "deepseek/chat-tool-call.json" });
    const result = await model().chat(ask);
    const message = result.choices[0]?.message;
    expect(message?.reasoning_content).toMatch(/^The user is asking for the weather in San Francisco/);
    expect(message?.tool_calls?.[0]).toEqual({
      id: "call_00_9V0vrf86Pc9aelHCJMZqnJBo",
      type: "function",
      function: { name: "weather", arguments: '{"location": "San Francisco"}' },
    });
    expect(result.usage).toMatchObject({
      prompt_tokens: 339,
      completion_tokens: 92,
      prompt_tokens_details: { cached_tokens: 320 },
      completion_tokens_details: { reasoning_tokens: 48 },
    });
    expect(model().id).toBe("deepseek/deepseek-reasoner");
  });

  it("replays a recorded reasoning stream: reasoning_content arrives in chunks", async () => {
    server.enqueue({ kind: "recorded", fixture: "deepseek/chat-stream-tool-call-reasoning.chunks.txt" });
    const chunks = [];
    for await (const chunk of model().stream(ask)) chunks.push(chunk);
    expect(chunks.filter((c) => c.choices[0]?.delta.reasoning_content).length).toBeGreaterThan(3);
    const result = await accumulateStream(chunks);
    expect(result.choices[0]?.message.reasoning_content).toMatch(/^The user is asking for the weather/);
    expect(result.choices[0]?.message.tool_calls?.[0]?.function.name).toBe("weather");
    expect(result.usage?.prompt_tokens_details?.cached_tokens).toBe(320);
  });

  it("never sends reasoning_content back, so a multi-turn history is accepted", async () => {
    server.enqueue({ kind: "text", text: "9.8 is larger." });
    const result = await model().chat({
      messages: [
        { role: "user", content: "9.11 or 9.8?" },
        { role: "assistant", content: "9.8", reasoning_content: "Compare decimals…" },
        { role: "user", content: "Are you sure?" },
      ],
    });
    expect(result.choices[0]?.message.content).toBe("9.8 is larger.");
    const sent = (server.requests.at(-1)?.body as { messages: Array<Record<string, unknown>> } | undefined)
      ?.messages;
    expect(sent?.[1]).toEqual({ role: "assistant", content: "9.8" });
  });

  it("scripted reasoning is exposed on results and chunks", async () => {
    server.enqueue({ kind: "text", text: "4", reasoning: "2 + 2 = 4" });
    expect((await model().chat(ask)).choices[0]?.message.reasoning_content).toBe("2 + 2 = 4");
    server.enqueue({ kind: "text", text: "4", reasoning: "2 + 2 = 4" });
    expect((await accumulateStream(model().stream(ask))).choices[0]?.message.reasoning_content).toBe(
      "2 + 2 = 4",
    );
  });

  it("a missing key names DEEPSEEK_API_KEY", async () => {
    const noKey = createDeepSeek({ env: {}, baseURL: server.baseURL }).chatModel("deepseek-chat");
    const error = await noKey.chat(ask).catch((e: unknown) => e);
    expect(isLlmuxError(error) && error.kind).toBe("auth");
    expect(String((error as Error).message)).toContain("DEEPSEEK_API_KEY");
  });
});
