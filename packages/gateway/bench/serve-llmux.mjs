// The llmux gateway as benchmarked: router (one OpenAI-compatible deployment on the fake upstream,
// retries, cooldowns, pricing, ledger) + gateway (validation, metrics, headers). Request logging off.

import { createOpenAI } from "@llmux/provider-openai";
import { createRouter } from "@llmux/router";
import { startGateway } from "../dist/index.js";

const port = Number(process.env.PORT ?? 8080);
const upstream = process.env.UPSTREAM ?? "http://127.0.0.1:9001/v1";
const router = createRouter({
  deployments: [
    {
      id: "fake-openai",
      group: "gpt-4o-mini",
      model: createOpenAI({ apiKey: "sk-test", baseURL: upstream }).chatModel("gpt-4o-mini"),
    },
  ],
});
const gateway = await startGateway({
  model: router,
  models: router.groups,
  port,
  logger: false,
  processMetrics: true,
});
console.log(`llmux gateway on ${gateway.url} → ${upstream}`);
process.on("SIGTERM", async () => {
  await gateway.close();
  process.exit(0);
});
