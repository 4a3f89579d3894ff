// Time to the first SSE event and to the end of the stream, one request at a time (concurrency 1),
// through each target in turn: what a gateway adds before the first token reaches the client.
// Usage: node first-event.mjs name=http://127.0.0.1:PORT/v1 ... [--requests N]   (loopback only)
// Prints one JSON line per target: { target, requests, first_event_p50_ms, first_event_p99_ms, end_p50_ms, end_p99_ms }.
import http from "node:http";
import { chatRequestBody } from "./chat-request.mjs";

const args = process.argv.slice(2);
const n = Number(args.includes("--requests") ? args[args.indexOf("--requests") + 1] : 2000);
const targets = args
  .filter((a) => a.includes("=http"))
  .map((a) => {
    const [name, base] = [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)];
    const url = new URL(`${base.replace(/\/+$/, "")}/chat/completions`);
    if (url.hostname !== "127.0.0.1") throw new Error(`${name}: only 127.0.0.1 targets are allowed`);
    return { name, url };
  });
const body = chatRequestBody({ model: process.env.MODEL ?? "gpt-4o-mini", stream: true });
function once(t) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first;
    const req = http.request(
      t.url,
      {
        method: "POST",
        agent: t.agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${process.env.API_KEY ?? "sk-test"}`,
          ...(t.name === "portkey" ? portkeyHeaders : {}),
        },
      },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`${t.name}: HTTP ${res.statusCode}`));
        res.on("data", (chunk) => {
          if (first === undefined && chunk.includes("data:")) first = performance.now() - t0;
        });
        res.on("end", () => {
          if (first === undefined)
            reject(new Error(`${t.name}: the answer has no SSE event (not a stream?)`));
          else resolve({ first, end: performance.now() - t0 });
        });
      },
    );
    req.on("error", reject);
    req.setNoDelay(true);
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    req.end(body);
  });
}
// Portkey is told where the upstream is in headers, as bench.mjs does.
const portkeyHeaders = {
  "x-portkey-provider": "openai",
  "x-portkey-custom-host": `http://127.0.0.1:${process.env.FAKE_PORT ?? 9001}/v1`,
};
for (const t of targets) t.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

const pct = (sorted, p) =>
  +sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(3);
const deadline = Date.now() + 120_000; // bounded in time as well as in count
for (let round = 0; round < 2; round++) {
  // Round 0 warms every target up; round 1 measures. Targets are interleaved in blocks of 100.
  const samples = new Map(targets.map((t) => [t.name, { first: [], end: [] }]));
  for (let i = 0; i < (round === 0 ? 300 : n); i += 100) {
    for (const t of targets) {
      for (let j = 0; j < 100 && Date.now() < deadline; j++) {
        const r = await once(t);
        samples.get(t.name).first.push(r.first);
        samples.get(t.name).end.push(r.end);
      }
    }
  }
  if (round === 0) continue;
  for (const t of targets) {
    const s = samples.get(t.name);
    const first = s.first.sort((a, b) => a - b);
    const end = s.end.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        kind: "first_event",
        target: t.name,
        requests: first.length,
        first_event_p50_ms: pct(first, 50),
        first_event_p99_ms: pct(first, 99),
        end_p50_ms: pct(end, 50),
        end_p99_ms: pct(end, 99),
      }),
    );
  }
}
for (const t of targets) t.agent.destroy();
