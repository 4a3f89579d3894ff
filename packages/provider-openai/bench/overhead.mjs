// Adapter overhead: @llmux/provider-openai vs the raw `openai` SDK against the same loopback fake,
// non-streaming and streaming, interleaved in one run so the ratio is fair on a noisy machine.
// Run after `pnpm turbo run build --filter @llmux/provider-openai...`: `pnpm --filter @llmux/provider-openai bench`.
import { startFakeOpenAI } from "@llmux/provider-testkit";
import OpenAI from "openai";
import { createOpenAI } from "../dist/index.js";

const CALLS = Number(process.env.BENCH_CALLS ?? 1000); // per variant per round
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const DEADLINE = Date.now() + Number(process.env.BENCH_MAX_MS ?? 90_000);

const server = await startFakeOpenAI();
const raw = new OpenAI({ apiKey: "sk-bench", baseURL: server.baseURL, maxRetries: 0 });
const model = createOpenAI({ apiKey: "sk-bench", baseURL: server.baseURL }).chatModel("gpt-4o-mini");
const messages = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "Say something about benchmarks in one sentence." },
];
const text = "Benchmarks measure what you ask, not what you want. ".repeat(4);

const variants = {
  "raw-sdk/chat": async () => {
    await raw.chat.completions.create({ model: "gpt-4o-mini", messages });
  },
  "llmux/chat": async () => {
    await model.chat({ messages });
  },
  "raw-sdk/stream": async () => {
    const s = await raw.chat.completions.create({
      model: "gpt-4o-mini",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _ of s);
  },
  "llmux/stream": async () => {
    for await (const _ of model.stream({ messages }));
  },
};

const totals = Object.fromEntries(Object.keys(variants).map((k) => [k, { ms: 0, calls: 0 }]));
async function run(name, n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    server.enqueue({ kind: "text", text });
    await variants[name]();
    server.reset();
  }
  return performance.now() - start;
}

for (const name of Object.keys(variants)) await run(name, 30); // warm-up (JIT, sockets)
for (let round = 0; round < ROUNDS && Date.now() < DEADLINE; round++) {
  // Alternate the order each round so neither side always runs on a warmer machine.
  const order = round % 2 === 0 ? Object.keys(variants) : Object.keys(variants).reverse();
  for (const name of order) {
    const ms = await run(name, CALLS);
    totals[name].ms += ms;
    totals[name].calls += CALLS;
  }
}
await server.close();

const perCall = (name) => (totals[name].ms / totals[name].calls) * 1000; // µs
const rows = [];
for (const mode of ["chat", "stream"]) {
  const rawUs = perCall(`raw-sdk/${mode}`);
  const llmuxUs = perCall(`llmux/${mode}`);
  const row = {
    bench: "provider-openai-overhead",
    mode,
    calls: totals[`llmux/${mode}`].calls,
    rawSdkUsPerCall: Math.round(rawUs),
    llmuxUsPerCall: Math.round(llmuxUs),
    ratio: Number((llmuxUs / rawUs).toFixed(3)),
    overheadPct: Number(((llmuxUs / rawUs - 1) * 100).toFixed(1)),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
console.log("\nmode    calls  raw SDK µs/call  llmux µs/call  ratio  overhead");
for (const r of rows) {
  console.log(
    `${r.mode.padEnd(7)} ${String(r.calls).padStart(5)}  ${String(r.rawSdkUsPerCall).padStart(15)}  ${String(r.llmuxUsPerCall).padStart(13)}  ${r.ratio.toFixed(3)}  ${r.overheadPct}%`,
  );
}
