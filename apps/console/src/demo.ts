// The console demo, offline: the real gateway app (simulated deployments with cost and compliance
// routing, apps/gateway/examples/llmux.yaml), the customer-service MCP server over stdio, the
// console, and a little traffic so there is something to watch.
//   node dist/demo.js [--port 8090] [--once]
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { startConsole } from "./console-server.js";

const require = createRequire(import.meta.url);
const gatewayApp = dirname(require.resolve("@llmux/gateway-app/package.json"));
const customerServer = dirname(require.resolve("@llmux/mcp-customer-server/package.json"));

const TRAFFIC = [
  {
    what: "a simple question (cost routing → gpt-4o-mini)",
    body: { content: "What are your opening hours?" },
  },
  {
    what: "a complex question (stays on gpt-4o)",
    body: {
      content:
        "Analyze the purchase history of customer 12345 step by step and explain which plan they should move to, and why.",
    },
  },
  {
    what: "personal data (compliance routing → the on-prem model)",
    body: { content: "Customer alice@example.com asks where her refund is." },
  },
  { what: "a streamed answer", body: { content: "Write a two-line welcome message.", stream: true } },
];

function startGateway(masterKey: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [join(gatewayApp, "dist/cli.js"), "--config", join(gatewayApp, "examples/llmux.yaml"), "--port", "0"],
    {
      env: { ...process.env, LLMUX_MASTER_KEY: masterKey, LLMUX_LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      const m = / at (http:\/\/\S+)\/v1/.exec(stderr);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on("exit", (code) => reject(new Error(`the gateway exited with ${code}: ${stderr}`)));
  });
}

async function send(gatewayUrl: string, masterKey: string, n: number): Promise<string> {
  const { what, body } = TRAFFIC[n % TRAFFIC.length]!;
  const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${masterKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "gpt-4o",
      messages: [{ role: "user", content: body.content }],
      ...(body.stream ? { stream: true, model: "gpt-4o-mini" } : {}),
    }),
  });
  await res.text();
  return `${what}: ${res.status} via ${res.headers.get("x-llmux-deployment") ?? "(see the console)"} (${res.headers.get("x-request-id")})`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: "string" }, once: { type: "boolean" } } });
  const masterKey = `sk-demo-${randomBytes(12).toString("hex")}`;
  const gateway = await startGateway(masterKey);
  const console_ = await startConsole({
    gatewayUrl: gateway.url,
    masterKey,
    port: values.port === undefined ? (values.once ? 0 : 8090) : Number(values.port),
    mcpServers: {
      crm: {
        command: process.execPath,
        args: [
          join(customerServer, "dist/cli.js"),
          "--db",
          join(mkdtempSync(join(tmpdir(), "llmux-console-")), "c.db"),
        ],
        stderr: "ignore",
      },
    },
  });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`llmux console demo — SIMULATED provider: every answer is generated offline, not by a real model`);
  out(`  gateway  ${gateway.url}/v1`);
  out(`  console  ${console_.url}   ← open this in a browser`);
  const stop = async () => {
    await console_.close();
    gateway.child.kill("SIGTERM");
  };
  if (values.once) {
    for (let n = 0; n < TRAFFIC.length; n++) out(`  sent ${await send(gateway.url, masterKey, n)}`);
    const overview = (await (await fetch(`${console_.url}/api/overview`)).json()) as {
      usage: { total: { requests: number; costUsd: number } };
    };
    const tools = (await (await fetch(`${console_.url}/api/tools`)).json()) as {
      servers: { name: string; tools: { name: string }[] }[];
    };
    out(
      `  console sees ${overview.usage.total.requests} requests, $${overview.usage.total.costUsd.toFixed(6)}, MCP tools: ${tools.servers.flatMap((s) => s.tools.map((t) => `${s.name}/${t.name}`)).join(", ")}`,
    );
    await stop();
    return;
  }
  out("  sending a request every 2 s; Ctrl-C stops");
  let n = 0;
  const timer = setInterval(() => {
    send(gateway.url, masterKey, n++).then(
      (line) => out(`  sent ${line}`),
      (e: Error) => out(`  request failed: ${e.message}`),
    );
  }, 2000);
  const shutdown = async () => {
    clearInterval(timer);
    await stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((e) => {
  process.stderr.write(`llmux-console demo: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
