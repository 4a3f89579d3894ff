import { accumulateStream, type ChatMessage } from "@llmux/core";
import { describe, expect, it } from "vitest";
import { createRouter, formatDecisionTrace, getDecisionTrace, parseRouterConfig } from "../src/index.js";
import { fail, recordingModel } from "./recording-model.js";

const user = (content: string): ChatMessage[] => [{ role: "user", content }];
const fast = { retry: { baseDelayMs: 1, maxDelayMs: 50 } };

describe("routing and metadata", () => {
  it("answers through a deployment and says which, with cost and trace", async () => {
    const router = createRouter({
      deployments: [{ id: "a", group: "main", model: recordingModel("openai/gpt-4o-mini") }],
    });
    const result = await router.chat({ model: "main", messages: user("hi") });
    expect(result.choices[0]!.message.content).toBe("openai/gpt-4o-mini says: hi");
    expect(result.llmux).toMatchObject({ deployment: "a", provider: "openai", attempts: 1 });
    expect(result.llmux?.costUsd).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 10);
    expect(getDecisionTrace(result)?.deployment).toBe("a");
    expect(router.ledger.totals().byDeployment.a).toMatchObject({
      requests: 1,
      failures: 0,
      promptTokens: 1000,
    });
  });

  it("spreads traffic by weight", async () => {
    const heavy = recordingModel("openai/heavy");
    const light = recordingModel("openai/light");
    let seed = 1;
    const router = createRouter({
      deployments: [
        { id: "heavy", group: "g", model: heavy, weight: 9 },
        { id: "light", group: "g", model: light, weight: 1 },
      ],
      random: () => {
        seed = (seed * 16807) % 2147483647;
        return seed / 2147483647;
      },
    });
    for (let i = 0; i < 200; i++) await router.chat({ messages: user("x") });
    expect(heavy.requests.length).toBeGreaterThan(150);
    expect(light.requests.length).toBeGreaterThan(5);
  });

  it("rejects an unknown group, naming the ones that exist", async () => {
    const router = createRouter({ deployments: [{ group: "main", model: recordingModel("openai/x") }] });
    await expect(router.chat({ model: "nope", messages: user("hi") })).rejects.toMatchObject({
      kind: "not_found",
      param: "model",
    });
    await expect(router.chat({ model: "nope", messages: user("hi") })).rejects.toThrow(/available: main/);
  });

  it("refuses a string model without a resolver, explaining the fix", () => {
    expect(() => createRouter({ deployments: [{ group: "main", model: "openai/gpt-4o" }] })).toThrow(
      /no resolveModel was given/,
    );
  });

  it("takes lower order first, and the lowest-latency deployment once measured", async () => {
    const primary = recordingModel("openai/primary");
    const backup = recordingModel("openai/backup");
    const router = createRouter({
      deployments: [
        { id: "backup", group: "g", model: backup, order: 2 },
        { id: "primary", group: "g", model: primary, order: 1 },
      ],
      strategy: "lowest-latency",
    });
    for (let i = 0; i < 3; i++) await router.chat({ messages: user("x") });
    expect(primary.requests).toHaveLength(3);
    expect(backup.requests).toHaveLength(0);
  });
});

describe("reliability", () => {
  it("retries a rate-limited deployment after retry-after, then succeeds", async () => {
    const model = recordingModel("openai/m", [fail("rate_limit", { retryAfterMs: 20 }), "ok"]);
    const router = createRouter({ deployments: [{ id: "m", group: "g", model }], ...fast });
    const started = Date.now();
    const result = await router.chat({ messages: user("x") });
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(result.llmux?.attempts).toBe(2);
    expect(getDecisionTrace(result)?.attempts.map((a) => a.outcome)).toEqual(["failure", "success"]);
  });

  it("falls back through the ordered list on server errors", async () => {
    const router = createRouter({
      deployments: [
        {
          id: "primary",
          group: "main",
          model: recordingModel("openai/p", [fail("server", { status: 503 })]),
        },
        { id: "backup", group: "backup", model: recordingModel("anthropic/b") },
      ],
      fallbacks: { main: ["backup"] },
      ...fast,
    });
    const result = await router.chat({ model: "main", messages: user("x") });
    expect(result.llmux?.deployment).toBe("backup");
    const trace = getDecisionTrace(result)!;
    expect(trace.steps.some((s) => s.rule === "fallback" && s.outcome.includes("backup"))).toBe(true);
    expect(formatDecisionTrace(trace)).toMatch(/attempt 1: primary \[main\] failed \(server/);
  });

  it("sends context-window errors to the larger-context group, not the general list", async () => {
    const router = createRouter({
      deployments: [
        { id: "small", group: "small", model: recordingModel("openai/s", [fail("context_window")]) },
        { id: "general", group: "general", model: recordingModel("openai/g") },
        { id: "large", group: "large", model: recordingModel("anthropic/l") },
      ],
      fallbacks: { small: ["general"] },
      contextWindowFallbacks: { small: ["large"] },
      ...fast,
    });
    const result = await router.chat({ model: "small", messages: user("x") });
    expect(result.llmux?.deployment).toBe("large");
  });

  it("does not fall back or retry on the caller's errors", async () => {
    const primary = recordingModel("openai/p", [fail("bad_request", { status: 400 })]);
    const backup = recordingModel("openai/b");
    const router = createRouter({
      deployments: [
        { id: "p", group: "main", model: primary },
        { id: "b", group: "backup", model: backup },
      ],
      fallbacks: { main: ["backup"] },
      ...fast,
    });
    await expect(router.chat({ model: "main", messages: user("x") })).rejects.toMatchObject({
      kind: "bad_request",
    });
    expect(primary.requests).toHaveLength(1);
    expect(backup.requests).toHaveLength(0);
  });

  it("cools down a deployment that keeps failing", async () => {
    const flaky = recordingModel("openai/flaky", [fail("server")]);
    const steady = recordingModel("openai/steady");
    const router = createRouter({
      deployments: [
        { id: "flaky", group: "g", model: flaky, order: 1 },
        { id: "steady", group: "g", model: steady, order: 2 },
      ],
      cooldown: { allowedFails: 1, cooldownMs: 60_000 },
      retry: { numRetries: 1, baseDelayMs: 1 },
    });
    for (let i = 0; i < 4; i++) await router.chat({ messages: user("x") });
    expect(flaky.requests.length).toBe(2);
    expect(steady.requests.length).toBe(4);
  });

  it("times out a slow attempt and moves on", async () => {
    const router = createRouter({
      deployments: [
        { id: "slow", group: "main", model: recordingModel("openai/slow", [{ delayMs: 5_000 }]) },
        { id: "quick", group: "backup", model: recordingModel("openai/quick") },
      ],
      fallbacks: { main: ["backup"] },
      timeoutMs: 30,
      retry: { numRetries: 0 },
    });
    const result = await router.chat({ model: "main", messages: user("x") });
    expect(result.llmux?.deployment).toBe("quick");
    expect(getDecisionTrace(result)?.attempts[0]?.errorKind).toBe("timeout");
  });

  it("falls back for streams only before the first chunk", async () => {
    const router = createRouter({
      deployments: [
        { id: "down", group: "main", model: recordingModel("openai/down", [fail("server")]) },
        { id: "up", group: "backup", model: recordingModel("openai/up") },
      ],
      fallbacks: { main: ["backup"] },
      ...fast,
    });
    const result = await accumulateStream(router.stream({ model: "main", messages: user("x") }));
    expect(result.choices[0]!.message.content).toBe("openai/up says: x");
    expect(result.llmux?.deployment).toBe("up");

    const cutting = createRouter({
      deployments: [
        { id: "cut", group: "main", model: recordingModel("openai/cut", ["cut-after-first-chunk"]) },
        { id: "up", group: "backup", model: recordingModel("openai/up") },
      ],
      fallbacks: { main: ["backup"] },
      ...fast,
    });
    await expect(
      accumulateStream(cutting.stream({ model: "main", messages: user("x") })),
    ).rejects.toMatchObject({ kind: "connection" });
  });
});

describe("cost routing", () => {
  const deployments = () => [
    { id: "big", group: "main", model: recordingModel("openai/gpt-4o") },
    { id: "small", group: "cheap", model: recordingModel("openai/gpt-4o-mini") },
  ];

  it("sends simple questions to the cheap group and complex ones to the main group", async () => {
    const router = createRouter({ deployments: deployments(), costRouting: { cheapGroup: "cheap" } });
    const simple = await router.chat({ model: "main", messages: user("What are your support hours?") });
    expect(simple.llmux?.deployment).toBe("small");
    expect(getDecisionTrace(simple)?.steps[0]).toMatchObject({
      rule: "cost",
      outcome: 'simple request → cheap group "cheap"',
    });
    const complex = await router.chat({
      model: "main",
      messages: user("Calculate the total account value for customer 67890"),
    });
    expect(complex.llmux?.deployment).toBe("big");
    expect(getDecisionTrace(complex)?.steps[0]?.evidence).toBe('contains "calculate"');
  });

  it("lets compliance outrank cost: a simple question with personal data stays on the local model", async () => {
    const router = createRouter({
      deployments: [
        ...deployments(),
        { id: "local", group: "main", model: recordingModel("ollama/llama3.1"), local: true },
      ],
      costRouting: { cheapGroup: "cheap" },
      compliance: {},
    });
    const r = await router.chat({ model: "main", messages: user("Email alice@example.com please") });
    expect(r.llmux?.deployment).toBe("local");
    expect(getDecisionTrace(r)?.steps.map((s) => s.rule)).toEqual(["compliance", "cost"]);
  });

  it("asks a custom classifier (e.g. a cheap model's verdict)", async () => {
    const router = createRouter({
      deployments: deployments(),
      costRouting: { cheapGroup: "cheap", classify: () => false },
    });
    const r = await router.chat({ model: "main", messages: user("hello") });
    expect(r.llmux?.deployment).toBe("big");
  });
});

describe("compliance routing", () => {
  const setup = (mode?: "route" | "redact" | "block") => {
    const cloud = recordingModel("openai/gpt-4o");
    const local = recordingModel("ollama/llama3.1");
    const router = createRouter({
      deployments: [
        { id: "cloud", group: "main", model: cloud, order: 1 },
        { id: "local", group: "main", model: local, local: true, order: 2 },
      ],
      compliance: { mode },
    });
    return { cloud, local, router };
  };

  it("the article's case: the first call goes to the cloud, the follow-up with customer emails in a tool result goes local", async () => {
    const { cloud, local, router } = setup();
    const first = await router.chat({
      model: "main",
      messages: user("Get a list of recent customers and summarize their status"),
    });
    expect(first.llmux?.deployment).toBe("cloud");
    const followUp: ChatMessage[] = [
      ...user("Get a list of recent customers and summarize their status"),
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "c1", type: "function", function: { name: "get_recent_customers", arguments: "{}" } },
        ],
      },
      {
        role: "tool",
        tool_call_id: "c1",
        content: JSON.stringify({
          customers: [
            { id: "12345", name: "Alice Johnson", email: "alice@example.com", phone: "+1-555-0123" },
          ],
        }),
      },
    ];
    const second = await router.chat({ model: "main", messages: followUp });
    expect(second.llmux?.deployment).toBe("local");
    const trace = getDecisionTrace(second)!;
    expect(trace.steps).toContainEqual({
      rule: "compliance",
      outcome: "personal data found: only local deployments are eligible",
      evidence: "email+phone in messages[2] (tool result)",
    });
    expect(trace.excluded).toContainEqual({
      deployment: "cloud",
      reason: "not local, and the request contains personal data",
    });
    expect(cloud.requests.some((r) => JSON.stringify(r).includes("alice@example.com"))).toBe(false);
    expect(local.requests).toHaveLength(1);
  });

  it("checks system prompts, earlier turns and tool-call arguments too", async () => {
    for (const messages of [
      [{ role: "system", content: "The customer is bob@example.com" }, ...user("hi")],
      [
        ...user("My card is 4111 1111 1111 1111"),
        { role: "assistant", content: "Noted." },
        ...user("thanks"),
      ],
      [
        ...user("look it up"),
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "c", type: "function", function: { name: "find", arguments: '{"email":"a@b.io"}' } },
          ],
        },
        { role: "tool", tool_call_id: "c", content: "none" },
      ],
    ] as ChatMessage[][]) {
      const { cloud, router } = setup();
      const r = await router.chat({ model: "main", messages });
      expect(r.llmux?.deployment).toBe("local");
      expect(cloud.requests).toHaveLength(0);
    }
  });

  it("redact mode masks PII for the cloud and restores it in the answer", async () => {
    const { cloud, router } = setup("redact");
    const r = await router.chat({
      model: "main",
      messages: user("Email alice@example.com about the refund"),
    });
    expect(r.llmux?.deployment).toBe("cloud");
    expect(JSON.stringify(cloud.requests[0])).not.toContain("alice@example.com");
    expect(JSON.stringify(cloud.requests[0])).toContain("[EMAIL_1]");
    expect(r.choices[0]!.message.content).toBe(
      "openai/gpt-4o says: Email alice@example.com about the refund",
    );
    expect(getDecisionTrace(r)?.attempts[0]?.redacted).toBe(true);
  });

  it("sees personal data in reasoning and thinking blocks; redact mode masks reasoning and leaves out signed thinking it cannot mask", async () => {
    const history = (where: "reasoning" | "thinking"): ChatMessage[] => [
      ...user("Who asked?"),
      {
        role: "assistant",
        content: "A customer.",
        ...(where === "reasoning"
          ? { reasoning_content: "The sender was carol@example.com." }
          : {
              thinking_blocks: [
                { type: "thinking", thinking: "The sender was carol@example.com.", signature: "sig-a" },
                { type: "thinking", thinking: "Answer briefly.", signature: "sig-b" },
                { type: "redacted_thinking", data: "opaque" },
              ],
            }),
      },
      ...user("Thanks"),
    ];
    for (const where of ["reasoning", "thinking"] as const) {
      const { cloud, router } = setup();
      const r = await router.chat({ model: "main", messages: history(where) });
      expect(r.llmux?.deployment, where).toBe("local");
      expect(getDecisionTrace(r)?.steps[0]?.evidence, where).toBe(`email in messages[1] (${where})`);
      expect(cloud.requests).toHaveLength(0);
    }
    for (const where of ["reasoning", "thinking"] as const) {
      const { cloud, router } = setup("redact");
      await router.chat({ model: "main", messages: history(where) });
      const sent = JSON.stringify(cloud.requests[0]);
      expect(sent, where).not.toContain("carol@example.com");
      if (where === "reasoning") expect(sent).toContain("The sender was [EMAIL_1].");
      else {
        const assistant = cloud.requests[0]!.messages[1] as { thinking_blocks: { type: string }[] };
        expect(assistant.thinking_blocks).toEqual([
          { type: "thinking", thinking: "Answer briefly.", signature: "sig-b" },
          { type: "redacted_thinking", data: "opaque" },
        ]);
      }
    }
  });

  it("redact mode restores PII in streamed text too", async () => {
    const { router } = setup("redact");
    const r = await accumulateStream(
      router.stream({ model: "main", messages: user("Call +1-555-0123 now") }),
    );
    expect(r.choices[0]!.message.content).toBe("openai/gpt-4o says: Call +1-555-0123 now");
  });

  it("block mode refuses requests with PII", async () => {
    const { cloud, local, router } = setup("block");
    await expect(router.chat({ model: "main", messages: user("alice@example.com") })).rejects.toMatchObject({
      kind: "content_policy",
      code: "pii_not_compliant",
    });
    expect(cloud.requests.length + local.requests.length).toBe(0);
  });

  it("never falls back to the cloud when the local deployment fails", async () => {
    const cloud = recordingModel("openai/gpt-4o");
    const router = createRouter({
      deployments: [
        { id: "local", group: "main", model: recordingModel("ollama/x", [fail("connection")]), local: true },
        { id: "cloud", group: "backup", model: cloud },
      ],
      fallbacks: { main: ["backup"] },
      compliance: {},
      ...fast,
    });
    const err = await router
      .chat({ model: "main", messages: user("bob@example.com") })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "connection" });
    expect(cloud.requests).toHaveLength(0);
  });

  it("fails clearly when no compliant deployment exists", async () => {
    const router = createRouter({
      deployments: [{ id: "cloud", group: "main", model: recordingModel("openai/x") }],
      compliance: {},
    });
    await expect(router.chat({ model: "main", messages: user("bob@example.com") })).rejects.toThrow(
      /contains personal data and no local deployment is available.*not sent to any cloud deployment/,
    );
  });
});

describe("tags and budgets", () => {
  it("routes by request tags", async () => {
    const router = createRouter({
      deployments: [
        { id: "eu", group: "g", model: recordingModel("openai/eu"), tags: ["eu"] },
        { id: "us", group: "g", model: recordingModel("openai/us"), tags: ["us"] },
      ],
    });
    for (let i = 0; i < 5; i++) {
      const r = await router.chat({ messages: user("x"), metadata: { tags: "eu" } });
      expect(r.llmux?.deployment).toBe("eu");
    }
  });

  it("stops a key at its budget", async () => {
    const router = createRouter({
      deployments: [{ id: "d", group: "g", model: recordingModel("openai/gpt-4o") }],
      budgets: [{ scope: "key:team-a", maxUsd: 0.004 }],
    });
    await router.chat({ messages: user("x") }, { metadata: { key: "team-a" } });
    await router.chat({ messages: user("x") }, { metadata: { key: "team-a" } });
    await expect(router.chat({ messages: user("x") }, { metadata: { key: "team-a" } })).rejects.toMatchObject(
      {
        kind: "rate_limit",
        code: "budget_exceeded",
      },
    );
    expect(router.ledger.totals().byKey["team-a"]?.requests).toBe(2);
  });

  it("enforces a deployment's rpm", async () => {
    const router = createRouter({
      deployments: [
        { id: "limited", group: "g", model: recordingModel("openai/a"), rpm: 2, order: 1 },
        { id: "overflow", group: "g", model: recordingModel("openai/b"), order: 2 },
      ],
    });
    const used = [];
    for (let i = 0; i < 4; i++) used.push((await router.chat({ messages: user("x") })).llmux?.deployment);
    expect(used).toEqual(["limited", "limited", "overflow", "overflow"]);
  });
});

describe("config files", () => {
  it("reads a LiteLLM config.yaml with env substitution", () => {
    const yaml = `
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/TEST_OPENAI_KEY
      rpm: 60
  - model_name: local
    litellm_params:
      model: ollama/llama3.1
    model_info:
      local: true
router_settings:
  routing_strategy: latency-based-routing
  num_retries: 3
  fallbacks: [{"gpt-4o": ["local"]}]
  cooldown_time: 10
  enable_pre_call_checks: true
`;
    const { config, warnings } = parseRouterConfig(yaml, { TEST_OPENAI_KEY: "sk-test" });
    expect(config.deployments[0]).toMatchObject({
      group: "gpt-4o",
      model: "openai/gpt-4o",
      rpm: 60,
      params: { api_key: "sk-test" },
    });
    expect(config.deployments[1]).toMatchObject({ local: true });
    expect(config).toMatchObject({
      strategy: "lowest-latency",
      retry: { numRetries: 3 },
      fallbacks: { "gpt-4o": ["local"] },
      cooldown: { cooldownMs: 10_000 },
    });
    expect(warnings).toEqual(["router_settings.enable_pre_call_checks is not supported and was ignored"]);
  });

  it("names the missing environment variable and bad fields", () => {
    expect(() =>
      parseRouterConfig(
        "model_list:\n  - model_name: a\n    litellm_params: { model: openai/x, api_key: os.environ/NOPE_KEY }",
        {},
      ),
    ).toThrow(/environment variable NOPE_KEY is not set \(at model_list\[0\]\.litellm_params\.api_key\)/);
    expect(() => parseRouterConfig("deployments: []")).toThrow(
      /expected a non-empty list \(at deployments\)/,
    );
    expect(() =>
      parseRouterConfig("deployments: [ {group: g, model: openai/x} ]\nstrategy: fastest"),
    ).toThrow(/expected one of .* \(at strategy\)/);
    expect(() => parseRouterConfig("a: [")).toThrow(/not valid YAML/);
  });
});
