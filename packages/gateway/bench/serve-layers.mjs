// The gateway's layers one at a time, to say what each costs (run by cpu-ab.mjs as NAME=DIR:LAYER):
//   fastify  fastify + an undici pool: parse the body, forward it, parse the answer, send it back
//            (a stream is forwarded as it comes)
//   adapter  fastify + @llmux/provider-openai's "http" transport (request building, response mapping)
//   router   the same under @llmux/router (plan, pick, settle, ledger, trace) with the bench's retries
//   gateway  createGateway over that router (auth, validation, headers, request records, metrics),
//            without a logger or process metrics; `llmux-gateway` itself is the next step up
// Streams (`"stream": true`) are served too: the adapter and router layers write each batch of chunks
// as SSE in one write, as the gateway does.
// Build first (`pnpm turbo run build`): the gateway layer runs this checkout's dist.
import { chunkBatches } from "@llmux/core";
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

/** Takes the response over from fastify and sends the headers of an SSE stream. */
function startEventStream(reply) {
  reply.hijack();
  reply.raw.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  return reply.raw;
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
      if (req.body?.stream !== true) {
        reply.code(r.statusCode);
        return JSON.parse(await r.body.text());
      }
      const raw = startEventStream(reply);
      for await (const bytes of r.body) raw.write(bytes);
      raw.end();
      return reply;
    });
  } else {
    const model = chatModel();
    app.post("/v1/chat/completions", async (req, reply) => {
      const options = { signal: new AbortController().signal };
      if (req.body?.stream !== true) {
        const { llmux: _llmux, ...body } = await model.chat(req.body, options);
        return body;
      }
      // One write per batch of chunks, each chunk as it is (with its llmux metadata).
      const raw = startEventStream(reply);
      for await (const batch of chunkBatches(model.stream(req.body, options))) {
        raw.write(batch.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join(""));
        raw.socket?.uncork(); // sent now, not at the next tick (node:http corks chunked writes until then)
      }
      raw.end("data: [DONE]\n\n");
      return reply;
    });
  }
  app.get("/health", async () => ({ status: "ok" }));
  await app.listen({ port, host: "127.0.0.1" });
  close = () => app.close();
}
console.log(`layer ${layer} on http://127.0.0.1:${port} → ${upstream}`);
process.on("SIGTERM", () => close().then(() => process.exit(0)));
