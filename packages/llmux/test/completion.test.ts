import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accumulateStream } from "@llmux/core";
import { createSimulatedModel, startFakeAnthropic, startFakeOpenAI } from "@llmux/provider-testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  completion,
  completionCost,
  createRouter,
  getDecisionTrace,
  knownProviders,
  parseConfig,
  preloadProviders,
  registerProvider,
  resolveModel,
  runToolLoop,
  streamCompletion,
  streamToolLoop,
} from "../src/index.js";

const messages = [{ role: "user" as const, content: "Hello" }];

beforeAll(() => {
  registerProvider("simulated", (name) => createSimulatedModel({ name }));
});

describe("provider resolution", () => {
  it("names the environment variable when a key is missing", async () => {
    for (const [id, variable] of [
      ["openai/gpt-4o-mini", "OPENAI_API_KEY"],
      ["anthropic/claude-sonnet-4-0", "ANTHROPIC_API_KEY"],
      ["deepseek/deepseek-chat", "DEEPSEEK_API_KEY"],
      ["dashscope/qwen-plus", "DASHSCOPE_API_KEY"],
    ] as const) {
      const model = resolveModel(id, {}, { env: {} });
      const err = await model.chat({ messages }).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: "auth" });
      expect((err as Error).message).toContain(variable);
    }
  });

  it("rejects an unknown provider, listing the known ones", () => {
    expect(() => resolveModel("nosuch/model")).toThrow(
      /unknown provider "nosuch"; known: .*anthropic.*openai/,
    );
    expect(knownProviders()).toEqual(
      expect.arrayContaining(["openai", "anthropic", "ollama", "bedrock", "deepseek", "qwen", "groq"]),
    );
  });

  it("rejects a model id without a provider", () => {
    expect(() => resolveModel("gpt-4o")).toThrow(/no provider prefix/);
  });

  it("makes a resolved model on load(), reporting a missing key there and again on the next try", async () => {
    const keyless = resolveModel("openai/gpt-4o-mini", {}, { env: {} });
    await expect(keyless.load()).rejects.toMatchObject({
      kind: "auth",
      message: expect.stringContaining("OPENAI_API_KEY"),
    });
    await expect(keyless.chat({ messages })).rejects.toMatchObject({ kind: "auth" });
    const env: Record<string, string | undefined> = {};
    const later = resolveModel("openai/gpt-4o-mini", {}, { env });
    await expect(later.load()).rejects.toMatchObject({ kind: "auth" });
    env.OPENAI_API_KEY = "sk-now-set";
    expect((await later.load()).id).toBe("openai/gpt-4o-mini"); // a failed load is tried again
  });

  it("preloads the packages that serve a list of models, once each, without checking keys", async () => {
    const loaded = await preloadProviders([
      "openai/gpt-4o-mini",
      "groq/llama-3.1-8b-instant",
      "dashscope/qwen-plus",
      "anthropic/claude-sonnet-4-0",
      "simulated/echo", // registered with registerProvider: its factory is its own
    ]);
    expect(loaded).toEqual(["@llmux/provider-anthropic", "@llmux/provider-openai", "@llmux/provider-qwen"]);
    expect(await preloadProviders([])).toEqual([]);
    await expect(preloadProviders(["openai/gpt-4o", "nosuch/model"])).rejects.toThrow(
      /unknown provider "nosuch"; known: /,
    );
  });
});

describe("completion against a fake Anthropic server speaking the real wire format", () => {
  let fake: Awaited<ReturnType<typeof startFakeAnthropic>>;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(async () => {
    await fake.close();
  });

  it("answers, with cost from the price catalog", async () => {
    fake.enqueue({ kind: "text", text: "Hi from Claude", usage: { input: 1000, output: 100 } });
    const result = await completion({
      model: "anthropic/claude-sonnet-4-0",
      messages,
      api_key: "test-key",
      api_base: fake.baseURL,
    });
    expect(result.choices[0]!.message.content).toBe("Hi from Claude");
    expect(result.llmux?.provider).toBe("anthropic");
    expect(result.llmux?.costUsd).toBeCloseTo((1000 * 3 + 100 * 15) / 1e6, 10);
    expect(completionCost(result)).toBe(result.llmux?.costUsd);
  });

  it("runs a tool loop with extended thinking: each tool-calling turn goes back with its signed thinking", async () => {
    const weather = {
      type: "function" as const,
      function: {
        name: "get_weather",
        parameters: { type: "object", properties: { city: { type: "string" } } },
      },
    };
    const toolset = {
      tools: () => [weather],
      call: async (call: { id: string }) => ({
        role: "tool" as const,
        tool_call_id: call.id,
        content: "12°C, rain",
      }),
    };
    const model = resolveModel("anthropic/claude-sonnet-4-0", { api_key: "k", api_base: fake.baseURL });
    const request = {
      max_completion_tokens: 2048,
      providerOptions: { anthropic: { thinking: { type: "enabled", budget_tokens: 1024 } } },
    };
    for (const loop of ["runToolLoop", "streamToolLoop"] as const) {
      fake.enqueue(
        {
          kind: "tool_calls",
          reasoning: "Look up Oslo.",
          calls: [{ name: "get_weather", arguments: { city: "Oslo" } }],
        },
        {
          kind: "tool_calls",
          reasoning: "Now Bergen.",
          calls: [{ name: "get_weather", arguments: { city: "Bergen" } }],
        },
        { kind: "text", text: "Rain in both." },
      );
      const options = {
        model,
        toolset,
        request,
        messages: [{ role: "user" as const, content: "Oslo and Bergen?" }],
      };
      let text = "";
      if (loop === "runToolLoop") text = (await runToolLoop(options)).text;
      else
        for await (const event of streamToolLoop(options))
          if (event.type === "text-delta") text += event.text;
      expect(text, loop).toBe("Rain in both.");
      const last = fake.requests.at(-1)!.body as {
        messages: { role: string; content: { type: string }[] }[];
      };
      const turns = last.messages
        .filter((m) => m.role === "assistant")
        .map((m) => m.content.map((b) => b.type));
      expect(turns, loop).toEqual([
        ["thinking", "tool_use"],
        ["thinking", "tool_use"],
      ]);
    }
  });

  it("streams, with cost on the last chunk", async () => {
    fake.enqueue({ kind: "text", text: "Streamed answer", usage: { input: 10, output: 5 } });
    const chunks = [];
    for await (const c of streamCompletion({
      model: "anthropic/claude-sonnet-4-0",
      messages,
      api_key: "k",
      api_base: fake.baseURL,
    }))
      chunks.push(c);
    const result = await accumulateStream(chunks);
    expect(result.choices[0]!.message.content).toBe("Streamed answer");
    expect(chunks.at(-1)?.llmux?.costUsd).toBeGreaterThan(0);
  });
});

describe("the OpenAI family's transport param", () => {
  it('takes transport: "http" (the gateway\'s lean client) and answers the same as the SDK', async () => {
    const fake = await startFakeOpenAI();
    try {
      for (const transport of ["sdk", "http"]) {
        fake.enqueue({ kind: "text", text: `via ${transport}`, usage: { input: 5, output: 2 } });
        const model = resolveModel("openai/gpt-4o-mini", { api_base: fake.baseURL, api_key: "k", transport });
        const result = await model.chat({ messages });
        expect(result.choices[0]?.message.content).toBe(`via ${transport}`);
        expect(result.usage?.total_tokens).toBe(7);
      }
    } finally {
      await fake.close();
    }
  });

  it("refuses an unknown transport, naming both choices", async () => {
    const model = resolveModel("openai/gpt-4o-mini", { api_key: "k", transport: "carrier-pigeon" });
    await expect(model.chat({ messages })).rejects.toMatchObject({
      kind: "bad_request",
      message: expect.stringContaining('use "sdk" or "http"'),
    });
  });
});

describe("routers from config", () => {
  it("builds a router from a LiteLLM config.yaml with provider strings", async () => {
    const { config, warnings } = parseConfig(
      `
model_list:
  - model_name: main
    litellm_params: { model: simulated/cloud-large }
  - model_name: main
    litellm_params: { model: simulated/local }
    model_info: { local: true, id: on-prem }
`,
      {},
    );
    expect(warnings).toEqual([]);
    const router = createRouter({ ...config, compliance: { mode: "route" } });
    const result = await router.chat({
      model: "main",
      messages: [{ role: "user", content: "Email bob@example.com the invoice" }],
    });
    expect(result.llmux?.deployment).toBe("on-prem");
    expect(getDecisionTrace(result)?.excluded[0]?.reason).toMatch(/not local/);
  });
});

describe("lazy provider loading", () => {
  it("does not import any provider SDK or the MCP SDK until they are used", () => {
    const script = join(tmpdir(), `llmux-lazy-${process.pid}.mjs`);
    const entry = new URL("../dist/index.js", import.meta.url).href;
    writeFileSync(
      script,
      `import { registerHooks } from "node:module";
const seen = [];
registerHooks({ resolve(specifier, context, next) { seen.push(specifier); return next(specifier, context); } });
const llmux = await import(${JSON.stringify(entry)});
llmux.resolveModel("anthropic/claude-sonnet-4-0");
llmux.resolveModel("openai/gpt-4o-mini");
const sdks = seen.filter((s) => /^(openai|@anthropic-ai\\/sdk|ollama|@aws-sdk\\/client-bedrock-runtime|@llmux\\/provider-|@modelcontextprotocol\\/sdk)/.test(s));
process.stdout.write(JSON.stringify(sdks));`,
    );
    const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
