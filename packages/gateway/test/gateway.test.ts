import { request as httpRequest } from "node:http";
import { hostname } from "node:os";
import { type CallOptions, type ChatChunk, type ChatModel, resultToChunks } from "@llmux/core";
import { createOpenAI } from "@llmux/provider-openai";
import { type FakeOpenAIServer, startFakeOpenAI } from "@llmux/provider-testkit";
import { createRouter, type DecisionTrace } from "@llmux/router";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Gateway, type RequestRecord, startGateway, type UsageReport } from "../src/index.js";

const MASTER = "sk-master-test-0123456789";
let fake: FakeOpenAIServer;
let gateway: Gateway & { url: string };
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  const upstream = createOpenAI({ apiKey: "sk-upstream-secret-value", baseURL: fake.baseURL });
  const router = createRouter({
    deployments: [
      { id: "openai-mini", group: "gpt-4o-mini", model: upstream.chatModel("gpt-4o-mini") },
      { id: "openai-large", group: "gpt-4o", model: upstream.chatModel("gpt-4o") },
    ],
    retry: { numRetries: 0 },
  });
  gateway = await startGateway({
    model: router,
    models: router.groups,
    masterKey: MASTER,
    port: 0,
    logger: false,
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: MASTER, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await fake.close();
});
beforeEach(() => fake.reset());

describe("OpenAI SDK against the gateway", () => {
  it("answers JSON requests with llmux headers and no llmux body fields", async () => {
    fake.enqueue({ kind: "text", text: "Hello from upstream", usage: { input: 1000, output: 100 } });
    const { data, response } = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("Hello from upstream");
    expect(data.usage).toMatchObject({ prompt_tokens: 1000, completion_tokens: 100 });
    expect("llmux" in data).toBe(false);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(response.headers.get("x-llmux-deployment")).toBe("openai-mini");
    expect(response.headers.get("x-llmux-attempts")).toBe("1");
    expect(Number(response.headers.get("x-llmux-cost-usd"))).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 9);
  });

  it("streams SSE with a final usage chunk only when asked", async () => {
    fake.enqueue({ kind: "text", text: "one two three", usage: { input: 10, output: 3 } });
    const withUsage = [];
    for await (const c of await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Count" }],
      stream: true,
      stream_options: { include_usage: true },
    })) {
      withUsage.push(c);
    }
    expect(withUsage.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("one two three");
    expect(withUsage.at(-1)?.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 3 });
    expect(withUsage.some((c) => "llmux" in c)).toBe(false);

    fake.enqueue({ kind: "text", text: "again", usage: { input: 10, output: 1 } });
    const without = [];
    for await (const c of await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Again" }],
      stream: true,
    }))
      without.push(c);
    expect(without.some((c) => c.usage)).toBe(false);
    expect(without.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("again");
  });

  it("passes tool calls through, streamed and not", async () => {
    const tools = [
      {
        type: "function" as const,
        function: {
          name: "get_customer",
          parameters: { type: "object", properties: { customer_id: { type: "string" } } },
        },
      },
    ];
    fake.enqueue({
      kind: "tool_calls",
      calls: [{ name: "get_customer", arguments: { customer_id: "12345" } }],
    });
    const r = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Who is 12345?" }],
      tools,
    });
    expect(r.choices[0]!.finish_reason).toBe("tool_calls");
    expect(JSON.parse(r.choices[0]!.message.tool_calls![0]!.function.arguments)).toEqual({
      customer_id: "12345",
    });
    fake.enqueue({
      kind: "tool_calls",
      calls: [{ name: "get_customer", arguments: { customer_id: "67890" } }],
    });
    let args = "";
    for await (const c of await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Who is 67890?" }],
      tools,
      stream: true,
    })) {
      args += c.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? "";
    }
    expect(JSON.parse(args)).toEqual({ customer_id: "67890" });
  });

  it("lists the served models", async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id).sort()).toEqual(["gpt-4o", "gpt-4o-mini"]);
  });
});

describe("errors in OpenAI's shape", () => {
  it("404 for an unknown model, naming the available ones", async () => {
    const err = await client.chat.completions
      .create({ model: "gpt-9", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).message).toMatch(
      /gpt-9.*Available: gpt-4o-mini, gpt-4o/,
    );
  });

  it("400 naming the field for a bad body", async () => {
    const err = (await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "wizard", content: "x" }] } as never)
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain("messages[0].role");
    expect((err.error as { param?: string }).param).toBe("messages[0].role");
  });

  it("429 with retry-after when the upstream is rate limited", async () => {
    fake.enqueue({ kind: "error", error: { type: "rate_limit", retryAfterSeconds: 7 } });
    const err = (await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.headers?.get("retry-after")).toBe("7");
  });

  it("502 for an upstream failure, without leaking the upstream key", async () => {
    fake.enqueue({ kind: "error", error: { type: "auth" } });
    const err = (await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(502);
    expect(JSON.stringify(err.error)).not.toContain("sk-upstream-secret-value");
  });

  it("401 without a key, and never a crash on malformed bodies or headers", async () => {
    const anonymous = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "wrong", maxRetries: 0 });
    await expect(anonymous.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const bodies = [
      "",
      "{",
      "null",
      "[]",
      '"text"',
      "{}",
      '{"model": 5}',
      '{"model":"gpt-4o-mini","messages":"hi"}',
      '{"model":"gpt-4o-mini","messages":[]}',
      '{"model":"gpt-4o-mini","messages":[null]}',
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":5}]}',
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":[{"type":"video"}]}]}',
      '{"model":"gpt-4o-mini","messages":[{"role":"tool","content":"x"}]}',
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"temperature":"hot"}',
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"tools":{}}',
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"stream":"yes"}',
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"tool_choice":7}',
      `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"${"x".repeat(5 * 1024 * 1024)}"}]}`,
    ];
    let seed = 7;
    const rand = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const alphabet = '{}[]":,0123456789abcdefnulltrue \\';
    for (let i = 0; i < 250; i++)
      bodies.push(
        Array.from(
          { length: 1 + Math.floor(rand() * 60) },
          () => alphabet[Math.floor(rand() * alphabet.length)],
        ).join(""),
      );
    const contentTypes = [
      "application/json",
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/json; charset=latin1",
    ];
    for (const [i, body] of bodies.entries()) {
      const res = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${MASTER}`,
          "content-type": contentTypes[i % contentTypes.length]!,
        },
        body,
      });
      expect(res.status, `body ${i}: ${body.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `body ${i}: ${body.slice(0, 80)}`).toBeLessThan(500);
      const json = (await res.json()) as { error?: { message?: string } };
      expect(typeof json.error?.message).toBe("string");
    }
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });

  it("refuses a foreign Host header (DNS rebinding)", async () => {
    const url = new URL(gateway.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: "/v1/models",
          headers: { host: "evil.example.com", authorization: `Bearer ${MASTER}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe("virtual keys", () => {
  it("are created by the master key, hashed, limited by model and rpm", async () => {
    const admin = (path: string, init: RequestInit = {}) =>
      fetch(`${gateway.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${MASTER}`, "content-type": "application/json", ...init.headers },
      });
    const created = await admin("/admin/keys", {
      method: "POST",
      body: JSON.stringify({ name: "team-a", models: ["gpt-4o-mini"], rpm: 2 }),
    });
    expect(created.status).toBe(201);
    const { key, id } = (await created.json()) as { key: string; id: string };
    expect(key).toMatch(/^sk-llmux-/);
    const listed = JSON.stringify(await (await admin("/admin/keys")).json());
    expect(listed).toContain(id);
    expect(listed).not.toContain(key);

    const teamA = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
    await teamA.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "1" }] });
    await expect(
      teamA.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    await teamA.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "2" }] });
    await expect(
      teamA.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "3" }] }),
    ).rejects.toBeInstanceOf(OpenAI.RateLimitError);

    const keyOnAdmin = await fetch(`${gateway.url}/admin/keys`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(keyOnAdmin.status).toBe(401);
    expect((await admin(`/admin/keys/${id}`, { method: "DELETE" })).status).toBe(204);
    await expect(teamA.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});

describe("monitoring", () => {
  it("exposes Prometheus metrics per model and deployment", async () => {
    fake.enqueue({ kind: "text", text: "metered", usage: { input: 50, output: 5 } });
    await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] });
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(
      /llmux_requests_total\{model="gpt-4o",deployment="openai-large",key="-",status="200",stream="false"\} \d+/,
    );
    expect(text).toMatch(/llmux_tokens_total\{model="gpt-4o",deployment="openai-large",type="prompt"\} \d+/);
    expect(text).toContain("llmux_errors_total");
    expect(text).toContain("llmux_request_duration_seconds_bucket");
  });
});

describe("request logs", () => {
  it("writes one line per request, without the messages, with the time the request finished", async () => {
    const lines: Record<string, unknown>[] = [];
    const gw = await startGateway({
      model: instantModel(1, "secret answer"),
      port: 0,
      logger: { level: "info", stream: { write: (s: string) => lines.push(JSON.parse(s)) } },
    });
    const c = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "none", maxRetries: 0 });
    const finished: [number, number][] = [];
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      await c.chat.completions.create({
        model: "instant",
        messages: [{ role: "user", content: "a secret" }],
      });
      finished.push([before, Date.now()]);
      await new Promise((r) => setTimeout(r, 120)); // lines are written later, in batches
    }
    await gw.close();
    const requests = lines.filter((l) => l.msg === "chat completion");
    expect(requests).toHaveLength(3);
    for (const [i, line] of requests.entries()) {
      expect(line).toMatchObject({ model: "instant", status: 200, stream: false, level: 30 });
      const [before, after] = finished[i]!;
      expect(line.time).toBeGreaterThanOrEqual(before);
      expect(line.time).toBeLessThanOrEqual(after + 20);
    }
    expect(JSON.stringify(lines)).not.toContain("secret");
  });
  it("writes the line as pino would, and leaves it to pino when the logger options change the format", async () => {
    // `{ level, stream }`: the gateway formats its request lines itself. `base` (here pino's default
    // base, spelled out) hands every line to pino. Both must write the same text.
    const send = async (logger: Record<string, unknown>, stream: boolean) => {
      const out: string[] = [];
      const gw = await startGateway({
        model: instantModel(2, "x"),
        port: 0,
        logContent: true,
        logger: { ...logger, stream: { write: (s: string) => out.push(s) } },
      });
      await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": "req-same" },
        body: JSON.stringify({
          model: "instant",
          stream,
          messages: [{ role: "user", content: 'a "quoted"\n\u0001 ü' }],
        }),
      }).then((r) => r.text());
      await gw.close();
      return out
        .join("")
        .split("\n")
        .filter((l) => l.includes('"chat completion"'))
        .map((l) => l.replace(/"time":\d+/, '"time":0').replace(/"latencyMs":\d+/, '"latencyMs":0'));
    };
    for (const stream of [false, true]) {
      const own = await send({ level: "info" }, stream);
      const pinos = await send({ level: "info", base: { pid: process.pid, hostname: hostname() } }, stream);
      expect(own).toHaveLength(1);
      expect(own).toEqual(pinos);
      expect(JSON.parse(own[0]!)).toMatchObject({ level: 30, requestId: "req-same", msg: "chat completion" });
    }
  });
});

describe("activity for operators (admin API)", () => {
  const admin = async <T = { error: { message: string } }>(path: string, key = MASTER) => {
    const res = await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: (await res.json()) as T };
  };
  type Listed = { data: (RequestRecord & { trace: DecisionTrace })[] };

  it("keeps recent requests with their routing decision and usage totals, never message contents", async () => {
    const before = (await admin<UsageReport>("/admin/usage")).body;
    fake.enqueue({ kind: "text", text: "answer one", usage: { input: 1000, output: 100 } });
    const { response } = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "my secret question" }] })
      .withResponse();
    const id = response.headers.get("x-request-id")!;
    fake.enqueue({ kind: "text", text: "answer two", usage: { input: 10, output: 2 } });
    for await (const _ of await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "stream it" }],
      stream: true,
    }));
    fake.enqueue({ kind: "error", error: { type: "server", status: 500 } });
    await expect(
      client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toBeInstanceOf(OpenAI.APIError);

    const { status, body } = await admin<Listed>("/admin/requests?limit=3");
    expect(status).toBe(200);
    const [failed, streamed, json] = body.data as [Listed["data"][0], Listed["data"][0], Listed["data"][0]];
    expect(json).toMatchObject({
      id,
      model: "gpt-4o-mini",
      deployment: "openai-mini",
      provider: "openai",
      key: null,
      status: 200,
      stream: false,
      attempts: 1,
      promptTokens: 1000,
      completionTokens: 100,
    });
    expect(json.time).toBeGreaterThan(Date.now() - 60_000);
    expect(json.costUsd).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 9);
    expect(json.trace).toMatchObject({ requestedGroup: "gpt-4o-mini", deployment: "openai-mini" });
    expect(json.trace.attempts).toEqual([
      expect.objectContaining({ deployment: "openai-mini", outcome: "success" }),
    ]);
    expect(streamed).toMatchObject({ stream: true, status: 200, promptTokens: 10, completionTokens: 2 });
    expect(streamed.firstChunkMs).toBeGreaterThan(0);
    expect(failed).toMatchObject({ model: "gpt-4o", deployment: null, status: 502, errorKind: "server" });
    expect(failed.trace.attempts[0]).toMatchObject({ deployment: "openai-large", outcome: "failure" });
    expect(JSON.stringify(body)).not.toContain("my secret question");
    expect(JSON.stringify(body)).not.toContain("sk-upstream-secret-value");

    expect((await admin<RequestRecord>(`/admin/requests/${id}`)).body.id).toBe(id);
    expect((await admin("/admin/requests/req_nope")).status).toBe(404);
    expect((await admin("/admin/requests?limit=0")).body.error.message).toContain("limit");

    const after = (await admin<UsageReport>("/admin/usage")).body;
    const mini = after.byModel["gpt-4o-mini"]!;
    const miniBefore = before.byModel["gpt-4o-mini"] ?? { requests: 0, promptTokens: 0 };
    expect(mini.requests - miniBefore.requests).toBe(2);
    expect(mini.promptTokens - miniBefore.promptTokens).toBe(1010);
    expect(after.total.errors - before.total.errors).toBe(1);
    expect(after.byDeployment["openai-mini"]!.costUsd).toBeGreaterThan(0);
    expect(after.byKey["-"]!.requests - (before.byKey["-"]?.requests ?? 0)).toBe(3);
    const perKey = Object.values(after.byKey);
    expect(perKey.reduce((n, t) => n + t.requests, 0)).toBe(after.total.requests);
  });

  it("streams finished requests live on /admin/events", async () => {
    const controller = new AbortController();
    const res = await fetch(`${gateway.url}/admin/events`, {
      headers: { authorization: `Bearer ${MASTER}` },
      signal: controller.signal,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let seen = (await reader.read()).value ?? "";
    expect(seen).toContain(": connected");
    fake.enqueue({ kind: "text", text: "live", usage: { input: 3, output: 1 } });
    const { response } = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    const id = response.headers.get("x-request-id")!;
    while (!seen.includes(id)) seen += (await reader.read()).value ?? "";
    const event = seen.split("\n\n").find((e) => e.includes(id))!;
    expect(event).toMatch(/^event: request\ndata: /);
    expect(JSON.parse(event.split("data: ")[1]!)).toMatchObject({ id, deployment: "openai-mini" });
    controller.abort();
    await new Promise((r) => setTimeout(r, 50));
    expect(gateway.activity.listenerCount).toBe(0);
  });

  it("is for the master key only", async () => {
    for (const path of ["/admin/requests", "/admin/usage", "/admin/events"]) {
      expect((await admin(path, "sk-wrong-key-00000000000")).status).toBe(401);
    }
  });
});

/** A model that streams slowly and records whether it was aborted. */
function slowModel(): ChatModel & { aborted: boolean } {
  const model = {
    id: "test/slow",
    aborted: false,
    async chat() {
      throw new Error("not used");
    },
    async *stream(_req: unknown, opts: CallOptions = {}): AsyncIterable<ChatChunk> {
      const chunks = resultToChunks({
        id: "s",
        object: "chat.completion",
        created: 0,
        model: "slow",
        choices: [
          { index: 0, finish_reason: "stop", message: { role: "assistant", content: "slow answer" } },
        ],
      });
      for (const c of chunks) {
        await new Promise((r) => setTimeout(r, 150));
        if (opts.signal?.aborted) {
          model.aborted = true;
          throw new Error("aborted");
        }
        yield c;
      }
    },
  };
  return model;
}

/** A model that answers instantly: `n` chunks of `piece` when streaming, one word otherwise. */
function instantModel(n: number, piece: string): ChatModel {
  return {
    id: "test/instant",
    async chat() {
      return {
        id: "i",
        object: "chat.completion",
        created: 0,
        model: "instant",
        choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "ok" } }],
        usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      };
    },
    async *stream(): AsyncIterable<ChatChunk> {
      for (let i = 0; i < n; i++) {
        yield {
          id: "i",
          object: "chat.completion.chunk",
          created: 0,
          model: "instant",
          choices: [{ index: 0, delta: { content: `${piece}${i};` }, finish_reason: null }],
        };
      }
      yield {
        id: "i",
        object: "chat.completion.chunk",
        created: 0,
        model: "instant",
        choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
      };
    },
  };
}

describe("under load", () => {
  it("counts every request in /metrics, also past the batch the metrics are applied in", async () => {
    const gw = await startGateway({
      model: instantModel(1, ""),
      port: 0,
      logger: false,
      processMetrics: false,
    });
    try {
      const c = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "none", maxRetries: 0 });
      for (let i = 0; i < 700; i += 50) {
        await Promise.all(
          Array.from({ length: 50 }, () =>
            c.chat.completions.create({ model: "instant", messages: [{ role: "user", content: "x" }] }),
          ),
        );
      }
      for (let i = 0; i < 10; i++) {
        const stream = await c.chat.completions.create({
          model: "instant",
          messages: [{ role: "user", content: "x" }],
          stream: true,
        });
        for await (const _ of stream);
      }
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      expect(text).toContain(
        'llmux_requests_total{model="instant",deployment="-",key="-",status="200",stream="false"} 700',
      );
      expect(text).toContain(
        'llmux_requests_total{model="instant",deployment="-",key="-",status="200",stream="true"} 10',
      );
      expect(text).toContain('llmux_time_to_first_chunk_seconds_count{model="instant"} 10');
      expect(text).toContain('llmux_request_duration_seconds_count{model="instant",stream="false"} 700');
      expect(text).toContain('llmux_tokens_total{model="instant",deployment="-",type="prompt"} 2100');
    } finally {
      await gw.close();
    }
  });

  it("without a list of served models, counts the 201st distinct model name and later ones as (other)", async () => {
    const gw = await startGateway({
      model: instantModel(1, ""),
      masterKey: MASTER,
      port: 0,
      logger: false,
      processMetrics: false,
    });
    try {
      const c = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: MASTER, maxRetries: 0 });
      const names = Array.from({ length: 205 }, (_, i) => `made-up-${i}`);
      for (let i = 0; i < names.length; i += 41) {
        await Promise.all(
          names
            .slice(i, i + 41)
            .map((model) => c.chat.completions.create({ model, messages: [{ role: "user", content: "x" }] })),
        );
      }
      // A name already counted keeps its own series.
      await c.chat.completions.create({ model: "made-up-0", messages: [{ role: "user", content: "x" }] });
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      const series = text.split("\n").filter((l) => l.startsWith("llmux_requests_total{"));
      expect(series).toHaveLength(201);
      expect(text).toContain(
        'llmux_requests_total{model="(other)",deployment="-",key="-",status="200",stream="false"} 5',
      );
      expect(text).toContain(
        'llmux_requests_total{model="made-up-0",deployment="-",key="-",status="200",stream="false"} 2',
      );
      const headers = { authorization: `Bearer ${MASTER}` };
      const usage = (await (await fetch(`${gw.url}/admin/usage`, { headers })).json()) as UsageReport;
      expect(Object.keys(usage.byModel)).toHaveLength(201);
      expect(usage.byModel["(other)"]?.requests).toBe(5);
      expect(usage.total.requests).toBe(206);
    } finally {
      await gw.close();
    }
  });

  it("a client that reads slowly still gets every event, in order, then [DONE]", async () => {
    const n = 20_000;
    const piece = "x".repeat(60);
    const gw = await startGateway({ model: instantModel(n, piece), port: 0, logger: false });
    try {
      const url = new URL(`${gw.url}/v1/chat/completions`);
      const body = JSON.stringify({
        model: "instant",
        messages: [{ role: "user", content: "x" }],
        stream: true,
      });
      const text = await new Promise<string>((resolve, reject) => {
        const req = httpRequest(
          url,
          { method: "POST", headers: { "content-type": "application/json" } },
          (res) => {
            let out = "";
            res.setEncoding("utf8");
            res.on("data", (d: string) => {
              out += d;
              // Read in fits and starts, so the gateway's writes back up and must wait for "drain".
              res.pause();
              setTimeout(() => res.resume(), 1);
            });
            res.on("end", () => resolve(out));
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.end(body);
      });
      const events = text.split("\n\n").filter(Boolean);
      expect(events.at(-1)).toBe("data: [DONE]");
      const content = events
        .slice(0, -1)
        .map((e) => (JSON.parse(e.slice("data: ".length)) as ChatChunk).choices[0]?.delta.content ?? "")
        .join("");
      expect(content).toBe(Array.from({ length: n }, (_, i) => `${piece}${i};`).join(""));
    } finally {
      await gw.close();
    }
  });
});

describe("lifecycle", () => {
  it("aborts the upstream call when the client disconnects", async () => {
    const model = slowModel();
    const gw = await startGateway({ model, port: 0, logger: false });
    try {
      const controller = new AbortController();
      const c = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "none", maxRetries: 0 });
      const stream = await c.chat.completions.create(
        { model: "slow", messages: [{ role: "user", content: "x" }], stream: true },
        { signal: controller.signal },
      );
      const it = stream[Symbol.asyncIterator]();
      await it.next();
      controller.abort();
      await new Promise((r) => setTimeout(r, 600));
      expect(model.aborted).toBe(true);
    } finally {
      await gw.close();
    }
  });

  it("drains in-flight streams on shutdown", async () => {
    const model = slowModel();
    const gw = await startGateway({ model, port: 0, logger: false });
    const c = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "none", maxRetries: 0 });
    const stream = await c.chat.completions.create({
      model: "slow",
      messages: [{ role: "user", content: "x" }],
      stream: true,
    });
    const closing = gw.close();
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    await closing;
    expect(text).toBe("slow answer");
    expect(model.aborted).toBe(false);
  });
});
