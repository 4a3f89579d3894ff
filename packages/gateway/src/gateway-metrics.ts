import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** Prometheus metrics of the gateway, in their own registry. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "llmux_requests_total",
    help: "Chat completion requests by model, deployment, key and HTTP status",
    labelNames: ["model", "deployment", "key", "status", "stream"] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "llmux_request_duration_seconds",
    help: "Time to the full response (JSON) or to the end of the stream (SSE)",
    labelNames: ["model", "stream"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly firstChunk = new Histogram({
    name: "llmux_time_to_first_chunk_seconds",
    help: "Time to the first streamed chunk",
    labelNames: ["model"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: "llmux_tokens_total",
    help: "Tokens by model, deployment and type (prompt, completion)",
    labelNames: ["model", "deployment", "type"] as const,
    registers: [this.registry],
  });
  readonly cost = new Counter({
    name: "llmux_cost_usd_total",
    help: "Cost in USD by model, deployment and key (calls with unknown price are not included)",
    labelNames: ["model", "deployment", "key"] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "llmux_errors_total",
    help: "Failed requests by error kind and model",
    labelNames: ["kind", "model"] as const,
    registers: [this.registry],
  });

  constructor(defaultMetrics = true) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: "llmux_process_" });
  }
}
