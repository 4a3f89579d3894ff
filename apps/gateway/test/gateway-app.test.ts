import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FakeOpenAIServer, startFakeOpenAI } from "@llmux/provider-testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const MASTER = "sk-gateway-master-0123456789";

function writeConfig(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "llmux-gw-")), "config.yaml");
  writeFileSync(file, text);
  return file;
}

async function startCli(
  config: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; stderr: () => string; stdout: () => string }> {
  const child = spawn(process.execPath, [cli, "--config", config, "--port", "0"], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${stderr}`)), 20_000);
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      const m = / at (http:\/\/[^ ]+)\/v1/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on("exit", (code) => reject(new Error(`gateway exited with ${code}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, stdout: () => stdout };
}

describe("llmux-gateway serving a LiteLLM config.yaml", () => {
  let fake: FakeOpenAIServer;
  let gw: Awaited<ReturnType<typeof startCli>>;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const config = writeConfig(`
model_list:
  - model_name: gpt-4o-mini
    litellm_params:
      model: openai/gpt-4o-mini
      api_key: os.environ/UPSTREAM_KEY
      api_base: ${fake.baseURL}
general_settings:
  master_key: os.environ/GW_MASTER
router_settings:
  num_retries: 0
`);
    gw = await startCli(config, { UPSTREAM_KEY: "sk-upstream-test", GW_MASTER: MASTER });
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: MASTER, maxRetries: 0 });
  });
  afterAll(async () => {
    gw?.child.kill("SIGKILL");
    await fake?.close();
  });

  it("answers the official OpenAI SDK, JSON and streaming", async () => {
    fake.enqueue({ kind: "text", text: "Hello through the gateway", usage: { input: 12, output: 4 } });
    const { data: r, response } = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] })
      .withResponse();
    expect(r.choices[0]!.message.content).toBe("Hello through the gateway");
    // Priced from the catalog (gpt-4o-mini: $0.15 / $0.60 per million tokens), looked up at start-up
    // in a child process: 12 × 0.15 + 4 × 0.60 = 4.2 millionths of a dollar.
    expect(response.headers.get("x-llmux-cost-usd")).toBe("0.00000420");
    expect(gw.stderr()).not.toMatch(/prices looked up in-process/);
    fake.enqueue({
      kind: "tool_calls",
      calls: [{ name: "get_customer", arguments: { customer_id: "12345" } }],
    });
    let args = "";
    let usage: unknown;
    for await (const c of await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Who is 12345?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "get_customer",
            parameters: { type: "object", properties: { customer_id: { type: "string" } } },
          },
        },
      ],
      stream: true,
      stream_options: { include_usage: true },
    })) {
      args += c.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? "";
      if (c.usage) usage = c.usage;
    }
    expect(JSON.parse(args)).toEqual({ customer_id: "12345" });
    expect(usage).toBeDefined();
  });

  it("sent the upstream key from the environment to the provider, never to the client", async () => {
    const last = fake.requests.at(-1)!;
    expect(last.headers.authorization).toBe("Bearer sk-upstream-test");
    const res = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${MASTER}` } });
    expect(await res.text()).not.toContain("sk-upstream-test");
  });

  it("rejects unknown models and bad bodies with OpenAI errors, and counts requests in /metrics", async () => {
    await expect(
      client.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(
      client.chat.completions.create({ model: "gpt-4o-mini", messages: [] }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(
      /llmux_requests_total\{model="gpt-4o-mini",deployment="openai\/gpt-4o-mini",key="-",status="200",stream="false"\} 1/,
    );
  });

  it("drains and exits 0 on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => gw.child.once("exit", resolve));
    gw.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(gw.stderr()).toContain("draining");
  });
});

describe("llmux-gateway logs and upstream transport", () => {
  let fake: FakeOpenAIServer;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(() => fake.close());

  const config = (gateway: string) =>
    writeConfig(`
gateway:
${gateway}
deployments:
  - { id: up, group: gpt-4o-mini, model: openai/gpt-4o-mini, params: { api_key: sk-up, api_base: "${fake.baseURL}" } }
`);
  const ask = (url: string, content: string) =>
    new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 }).chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content }],
    });
  const stop = async (gw: Awaited<ReturnType<typeof startCli>>) => {
    const exited = new Promise((resolve) => gw.child.once("exit", resolve));
    gw.child.kill("SIGTERM");
    await exited;
  };

  it("writes one JSON line per request without the messages, flushed by shutdown, over the lean HTTP client by default", async () => {
    const gw = await startCli(config("  log_level: info"), {});
    await ask(gw.url, "a secret question");
    await ask(gw.url, "another one");
    // Node's own HTTP client, not the SDK (which announces itself in x-stainless-* headers).
    expect(fake.requests.at(-1)?.headers["x-stainless-lang"]).toBeUndefined();
    await stop(gw);
    const lines = gw
      .stdout()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === "chat completion");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      model: "gpt-4o-mini",
      deployment: "up",
      status: 200,
      promptTokens: expect.any(Number),
    });
    expect(gw.stdout()).not.toContain("secret question");
  });

  it("writes a quiet gateway's request line within a second, without waiting for a full batch", async () => {
    const gw = await startCli(config("  log_level: info"), {});
    await ask(gw.url, "just one");
    const until = Date.now() + 3_000;
    while (!gw.stdout().includes('"chat completion"') && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    const seen = gw.stdout();
    await stop(gw);
    expect(seen).toContain('"msg":"chat completion"');
  });

  it("log_level warn drops the request lines; upstream_transport sdk uses the official SDK", async () => {
    const gw = await startCli(config("  log_level: warn\n  upstream_transport: sdk"), {});
    await ask(gw.url, "hello");
    expect(fake.requests.at(-1)?.headers["x-stainless-lang"]).toBe("js");
    await stop(gw);
    expect(gw.stdout()).not.toContain("chat completion");
  });

  it("makes every deployment's model at start-up, naming one that cannot be made, and serves the others", async () => {
    const file = writeConfig(`
deployments:
  - { id: up, group: gpt-4o-mini, model: openai/gpt-4o-mini, params: { api_key: sk-up, api_base: "${fake.baseURL}" } }
  - { id: keyless, group: claude, model: anthropic/claude-sonnet-4-0 }
`);
    const gw = await startCli(file, {});
    expect(gw.stderr()).toMatch(
      /warning: deployment keyless \(anthropic\/claude-sonnet-4-0\): .*ANTHROPIC_API_KEY/,
    );
    expect(gw.stderr()).not.toContain("deployment up ");
    expect((await ask(gw.url, "hello")).choices[0]?.message).toBeDefined();
    const claude = await new OpenAI({
      baseURL: `${gw.url}/v1`,
      apiKey: "unused",
      maxRetries: 0,
    }).chat.completions
      .create({ model: "claude", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(claude).toBeInstanceOf(OpenAI.APIError);
    // The client learns that the gateway's credentials failed, not which variable it lacks.
    expect(claude).toMatchObject({ status: 502 });
    expect((claude as InstanceType<typeof OpenAI.APIError>).message).not.toContain("ANTHROPIC_API_KEY");
    await stop(gw);
  });

  it("refuses an unknown log level or transport, naming the choices", () => {
    for (const [line, message] of [
      ["  log_level: loud", "log level must be one of trace, debug, info, warn, error, fatal, silent"],
      ["  upstream_transport: pigeon", "gateway.upstream_transport must be one of http, sdk"],
    ]) {
      const r = spawnSync(process.execPath, [cli, "--config", config(line!)], {
        env: { PATH: process.env.PATH ?? "" },
        encoding: "utf8",
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});

describe("llmux-gateway configuration errors", () => {
  it("names a missing environment variable and exits 2", () => {
    const config = writeConfig(
      "model_list:\n  - model_name: a\n    litellm_params: { model: openai/gpt-4o, api_key: os.environ/MISSING_KEY_X }\n",
    );
    const r = spawnSync(process.execPath, [cli, "--config", config], {
      env: { PATH: process.env.PATH ?? "" },
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("environment variable MISSING_KEY_X is not set");
  });

  it("refuses to bind beyond loopback without a master key", () => {
    const config = writeConfig("deployments:\n  - { group: g, model: simulated/x }\n");
    const r = spawnSync(process.execPath, [cli, "--config", config, "--host", "0.0.0.0"], {
      env: { PATH: process.env.PATH ?? "" },
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/set a masterKey/);
  });

  it("requires --config", () => {
    const r = spawnSync(process.execPath, [cli], { env: { PATH: process.env.PATH ?? "" }, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--config is required");
  });
});
