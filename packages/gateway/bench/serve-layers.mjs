// The gateway's layers one at a time, to say what each costs (run by cpu-ab.mjs as NAME=DIR:LAYER):
//   fastify  fastify + an undici pool: parse the body, forward it, parse the answer, send it back
//   adapter  fastify + @llmux/provider-openai's "http" transport (request building, response mapping)
//   router   the same under @llmux/router (plan, pick, settle, ledger, trace) with the bench's retries
//   gateway  createGateway over that router (auth, validation, headers, request records, metrics),
//            without a logger or process metrics; `llmux-gateway` itself is the next step up
// Build first (`pnpm turbo run build`): the gateway layer runs this checkout's dist.
import { createOpenAI } from "@llmux/provider-openai";
import { createRouter } from "@llmux/router";
import Fastify from "fastify";
import { Pool } from "undici";
import { createGateway } from "../dist/index.js";

const LAYERS = ["fastify", "adapter", "router", "gateway"];
const layer = process.env.LAYER ?? "router";
const port = Number(process.env.PORT ?? 8083);
const upstream = new URL(process.env.UPSTREAM ?? "http://127.0.0.1:9001/v1");
if (!LAYERS.includes(layer)) {
  console.error(`serve-layers: LAYER must be one of ${LAYERS.join(", ")}, got ${layer}`);
  process.exit(2);
}

function chatModel() {
  const deployment = createOpenAI({ apiKey: "sk-test", baseURL: upstream.href, transport: "http" }).chatModel(
    "gpt-4o-mini",
  );
  if (layer === "adapter") return deployment;
  return createRouter({
    deployments: [{ id: "fake-openai", group: "gpt-4o-mini", model: deployment }],
    retry: { numRetries: 2 },
  });
}

let close;
if (layer === "gateway") {
  const router = chatModel();
  const gateway = createGateway({
    model: router,
    models: router.groups,
    logger: false,
    processMetrics: false,
    port,
  });
  await gateway.listen();
  close = () => gateway.close();
} else {
  const app = Fastify({ logger: false });
  if (layer === "fastify") {
    const pool = new Pool(upstream.origin, { connections: 128 });
    const path = `${upstream.pathname.replace(/\/+$/, "")}/chat/completions`;
    app.post("/v1/chat/completions", async (req, reply) => {
      const r = await pool.request({
        method: "POST",
        path,
        headers: { "content-type": "application/json", authorization: req.headers.authorization ?? "" },
        body: JSON.stringify(req.body),
      });
      reply.code(r.statusCode);
      return JSON.parse(await r.body.text());
    });
  } else {
    const model = chatModel();
    app.post("/v1/chat/completions", async (req) => {
      const { llmux: _llmux, ...body } = await model.chat(req.body, { signal: new AbortController().signal });
      return body;
    });
  }
  app.get("/health", async () => ({ status: "ok" }));
  await app.listen({ port, host: "127.0.0.1" });
  close = () => app.close();
}
console.log(`layer ${layer} on http://127.0.0.1:${port} → ${upstream}`);
process.on("SIGTERM", () => close().then(() => process.exit(0)));
