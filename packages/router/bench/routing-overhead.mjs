// Routing decision overhead: a call through the router (rules, strategy, ledger, pricing) vs the same
// in-process model called directly, with a short prompt and with a ~100k-token context that the
// compliance rule must scan for personal data. Run: pnpm --filter @llmux/router bench (after building).
import { createRouter } from "../dist/index.js";

const answer = {
  id: "r",
  object: "chat.completion",
  created: 0,
  model: "m",
  choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "ok" } }],
  usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
};
const model = {
  id: "openai/gpt-4o-mini",
  async chat() {
    return answer;
  },
  async *stream() {},
};

const sentence =
  "Customer 67890 asked about order ORD-2024-000123 shipped on 2024-01-15; the total was $552.00 over 4 purchases. ";
const longContext = sentence.repeat(Math.ceil(400_000 / sentence.length)); // ≈400 KB ≈ 100k tokens
const requests = {
  "short prompt": { messages: [{ role: "user", content: "What are your support hours?" }] },
  "100k-token context": {
    messages: [
      { role: "system", content: longContext },
      { role: "user", content: "Summarise." },
    ],
  },
};
const routers = {
  "router (no rules)": createRouter({
    deployments: [
      { id: "a", group: "g", model },
      { id: "b", group: "g", model },
    ],
  }),
  "router + cost + compliance rules": createRouter({
    deployments: [
      { id: "cloud", group: "g", model },
      { id: "local", group: "g", model, local: true },
      { id: "cheap", group: "cheap", model },
    ],
    costRouting: { cheapGroup: "cheap" },
    compliance: { mode: "route" },
  }),
};

async function timeIt(fn, budgetMs = 1500, maxRuns = 20000) {
  for (let i = 0; i < 20; i++) await fn(); // warm up
  const start = performance.now();
  let runs = 0;
  while (performance.now() - start < budgetMs && runs < maxRuns) {
    await fn();
    runs++;
  }
  return (performance.now() - start) / runs;
}

const rows = [];
for (const [reqName, req] of Object.entries(requests)) {
  const direct = await timeIt(() => model.chat(req));
  for (const [routerName, router] of Object.entries(routers)) {
    const routed = await timeIt(() => router.chat({ ...req, model: "g" }));
    const row = {
      request: reqName,
      target: routerName,
      directUs: +(direct * 1000).toFixed(2),
      routedUs: +(routed * 1000).toFixed(2),
      addedUs: +((routed - direct) * 1000).toFixed(2),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
console.log("\nrequest              target                              direct µs  routed µs  added µs");
for (const r of rows)
  console.log(
    `${r.request.padEnd(20)} ${r.target.padEnd(35)} ${String(r.directUs).padStart(9)} ${String(r.routedUs).padStart(10)} ${String(r.addedUs).padStart(9)}`,
  );
