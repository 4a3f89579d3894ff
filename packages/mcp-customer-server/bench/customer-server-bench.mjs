// tools/call throughput and latency over stdio and Streamable HTTP, and ticket creations per second.
// Run: pnpm --filter @llmux/mcp-customer-server bench   (after building). Loopback only, bounded (~20 s).
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const db = () => join(mkdtempSync(join(tmpdir(), "llmux-bench-")), "c.db");
const N = Number(process.env.BENCH_CALLS ?? 2000);

async function stdioClient() {
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [cli, "--db", db()],
      stderr: "ignore",
      env: { PATH: process.env.PATH, LOG_LEVEL: "warn" },
    }),
  );
  return { client, stop: async () => client.close() };
}

async function httpClient() {
  const child = spawn(process.execPath, [cli, "--http", "--port", "0", "--db", db()], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { PATH: process.env.PATH, LOG_LEVEL: "info" },
  });
  const url = await new Promise((resolve) => {
    let buf = "";
    child.stderr.on("data", (d) => {
      buf += d;
      const m = /"url":"([^"]+)"/.exec(buf);
      if (m) resolve(m[1]);
    });
  });
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return {
    client,
    stop: async () => {
      await client.close();
      child.kill("SIGTERM");
    },
  };
}

async function measure(label, client, concurrency, makeCall) {
  const times = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + 8000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < N && performance.now() < deadline) {
        const i = next++;
        const t0 = performance.now();
        await makeCall(client, i);
        times.push(performance.now() - t0);
      }
    }),
  );
  const secs = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  const row = {
    bench: label,
    concurrency,
    calls: times.length,
    perSec: Math.round(times.length / secs),
    p50Ms: +q(0.5).toFixed(2),
    p99Ms: +q(0.99).toFixed(2),
  };
  console.log(JSON.stringify(row));
  return row;
}

const account = (c) =>
  c.callTool({
    name: "calculate_account_value",
    arguments: { customer_id: "67890", purchase_history: [150, 300, 13, 89] },
  });
const ticket = (c, i) =>
  c.callTool({
    name: "create_support_ticket",
    arguments: { customer_id: "12345", subject: `bench ${i}`, description: "bench" },
  });

const rows = [];
for (const [name, open] of [
  ["stdio", stdioClient],
  ["http", httpClient],
]) {
  const { client, stop } = await open();
  await account(client); // warm up
  rows.push(await measure(`${name} calculate_account_value`, client, 1, account));
  rows.push(await measure(`${name} calculate_account_value`, client, 16, account));
  rows.push(await measure(`${name} create_support_ticket`, client, 16, ticket));
  await stop();
}
console.log("\nbench                                    conc  calls   /s   p50 ms  p99 ms");
for (const r of rows)
  console.log(
    `${r.bench.padEnd(40)} ${String(r.concurrency).padStart(4)} ${String(r.calls).padStart(6)} ${String(r.perSec).padStart(5)} ${String(r.p50Ms).padStart(8)} ${String(r.p99Ms).padStart(7)}`,
  );
