import { accumulateStream, isLlmuxError, type LlmuxError } from "@llmux/core";
import { type FakeOpenAIServer, startFakeOpenAI } from "@llmux/provider-testkit";
import { runConformance } from "@llmux/provider-testkit/conformance";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createQwen, QWEN_ENDPOINTS } from "../src/index.js";

// DashScope's compatible mode lives under /compatible-mode/v1 and takes its thinking fields.
const startDashScopeFake = () =>
  startFakeOpenAI({ pathPrefix: "/compatible-mode/v1", extraParams: ["enable_thinking", "thinking_budget"] });

runConformance({
  name: "provider-qwen",
  provider: "qwen",
  startServer: startDashScopeFake,
  createModel: (server) => createQwen({ apiKey: "sk-test", baseURL: server.baseURL }).chatModel("qwen-plus"),
  unsupported: ["cache_write_usage"],
});

async function failure(run: () => Promise<unknown>): Promise<LlmuxError> {
  try {
    await run();
  } catch (e) {
    if (isLlmuxError(e)) return e;
    throw e;
  }
  throw new Error("expected a failure");
}

describe("Qwen specifics", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startDashScopeFake();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());
  const model = () => createQwen({ apiKey: "sk-test", baseURL: server.baseURL }).chatModel("qwen3-max");
  const body = () => server.requests.at(-1)?.body as Record<string, unknown>;

  it("sends thinking options, and streams under the hood for a non-streaming call with thinking on", async () => {
    server.enqueue({ kind: "text", text: "Paris.", reasoning: "The capital of France is Paris." });
    const result = await model().chat({
      messages: [{ role: "user", content: "Capital of France?" }],
      providerOptions: { qwen: { enable_thinking: true, thinking_budget: 512 } },
    });
    expect(result.choices[0]?.message).toMatchObject({
      content: "Paris.",
      reasoning_content: "The capital of France is Paris.",
    });
    expect(body()).toMatchObject({ enable_thinking: true, thinking_budget: 512, stream: true });
  });

  it("thinking off is a plain JSON call", async () => {
    await model().chat({
      messages: [{ role: "user", content: "Hi" }],
      providerOptions: { qwen: { enable_thinking: false } },
    });
    expect(body()).toMatchObject({ enable_thinking: false });
    expect(body().stream).toBeUndefined();
  });

  it("a wrong thinking option is a bad_request naming the field, before any request", async () => {
    const e = await failure(() =>
      model().chat({
        messages: [{ role: "user", content: "Hi" }],
        providerOptions: { qwen: { thinking_budget: "lots" } },
      }),
    );
    expect(e).toMatchObject({ kind: "bad_request", param: "thinking_budget" });
    expect(e.message).toContain("providerOptions.qwen.thinking_budget");
    const s = await failure(() =>
      accumulateStream(
        model().stream({
          messages: [{ role: "user", content: "Hi" }],
          providerOptions: { qwen: { enable_thinking: "yes" } },
        }),
      ),
    );
    expect(s.param).toBe("enable_thinking");
    expect(server.requests).toHaveLength(0);
  });

  it("streams reasoning_content in chunks", async () => {
    server.enqueue({ kind: "text", text: "42", reasoning: "Thinking about the question at length." });
    const chunks = [];
    for await (const c of model().stream({ messages: [{ role: "user", content: "?" }] })) chunks.push(c);
    expect(chunks.filter((c) => c.choices[0]?.delta.reasoning_content).length).toBeGreaterThan(1);
    expect((await accumulateStream(chunks)).choices[0]?.message.reasoning_content).toBe(
      "Thinking about the question at length.",
    );
  });

  it("picks the regional endpoint; the key comes from DASHSCOPE_API_KEY", async () => {
    expect(QWEN_ENDPOINTS.intl).toBe("https://dashscope-intl.aliyuncs.com/compatible-mode/v1");
    expect(QWEN_ENDPOINTS.cn).toBe("https://dashscope.aliyuncs.com/compatible-mode/v1");
    const e = await failure(() =>
      createQwen({ region: "cn", env: {} }).chatModel("qwen-plus").chat({ messages: [] }),
    );
    expect(e.kind).toBe("auth");
    expect(e.message).toContain("DASHSCOPE_API_KEY");
    expect(model().id).toBe("qwen/qwen3-max");
  });
});
