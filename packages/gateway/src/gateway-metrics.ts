import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** What the gateway records of one finished chat request. */
export interface ChatSample {
  model: string;
  /** The deployment that answered, `"-"` if none did. */
  deployment: string;
  /** The virtual key's name, `"-"` for the master key or no key. */
  key: string;
  status: number;
  stream: boolean;
  seconds: number;
  promptTokens?: number;
  completionTokens?: number;
  /** USD; unknown or zero costs are not counted. */
  costUsd?: number | null;
  /** The error kind when the request failed. */
  errorKind?: string;
  /** Streams: seconds to the first chunk. */
  firstChunkSeconds?: number;
}

// Samples wait in a short queue and are applied to the Prometheus metrics in one tight loop: at
// every scrape (each metric's `collect` flushes) and whenever the queue is full. Applying them one
// request at a time, between network callbacks, cost several times more CPU (cold caches). The
// queue bounds the memory: at most this many samples are ever pending.
const QUEUE_LIMIT = 512;

/** Prometheus metrics of the gateway, in their own registry. */
export class GatewayMetrics {
  readonly registry = new Registry();
  private queue: ChatSample[] = [];
  private readonly flushQueue = () => this.flush();

  readonly requests = new Counter({
    name: "llmux_requests_total",
    help: "Chat completion requests by model, deployment, key and HTTP status",
    labelNames: ["model", "deployment", "key", "status", "stream"] as const,
    registers: [this.registry],
    collect: this.flushQueue,
  });
  readonly latency = new Histogram({
    name: "llmux_request_duration_seconds",
    help: "Time to the full response (JSON) or to the end of the stream (SSE)",
    labelNames: ["model", "stream"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
    collect: this.flushQueue,
  });
  readonly firstChunk = new Histogram({
    name: "llmux_time_to_first_chunk_seconds",
    help: "Time to the first streamed chunk",
    labelNames: ["model"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
    collect: this.flushQueue,
  });
  readonly tokens = new Counter({
    name: "llmux_tokens_total",
    help: "Tokens by model, deployment and type (prompt, completion)",
    labelNames: ["model", "deployment", "type"] as const,
    registers: [this.registry],
    collect: this.flushQueue,
  });
  readonly cost = new Counter({
    name: "llmux_cost_usd_total",
    help: "Cost in USD by model, deployment and key (calls with unknown price are not included)",
    labelNames: ["model", "deployment", "key"] as const,
    registers: [this.registry],
    collect: this.flushQueue,
  });
  readonly errors = new Counter({
    name: "llmux_errors_total",
    help: "Failed requests by error kind and model",
    labelNames: ["kind", "model"] as const,
    registers: [this.registry],
    collect: this.flushQueue,
  });

  constructor(defaultMetrics = true) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: "llmux_process_" });
  }

  /** Records one finished request (requests, latency, time to first chunk, tokens, cost, errors). */
  recordChat(sample: ChatSample): void {
    this.queue.push(sample);
    if (this.queue.length >= QUEUE_LIMIT) this.flush();
  }

  /** Applies the pending samples to the metrics; reading the registry does it first by itself. */
  flush(): void {
    const samples = this.queue;
    if (samples.length === 0) return;
    this.queue = [];
    for (const s of samples) {
      const stream = s.stream ? "true" : "false";
      this.requests.inc({
        model: s.model,
        deployment: s.deployment,
        key: s.key,
        status: String(s.status),
        stream,
      });
      this.latency.observe({ model: s.model, stream }, s.seconds);
      if (s.promptTokens !== undefined)
        this.tokens.inc({ model: s.model, deployment: s.deployment, type: "prompt" }, s.promptTokens);
      if (s.completionTokens !== undefined)
        this.tokens.inc({ model: s.model, deployment: s.deployment, type: "completion" }, s.completionTokens);
      if (typeof s.costUsd === "number" && s.costUsd > 0)
        this.cost.inc({ model: s.model, deployment: s.deployment, key: s.key }, s.costUsd);
      if (s.errorKind) this.errors.inc({ kind: s.errorKind, model: s.model });
      if (s.firstChunkSeconds !== undefined) this.firstChunk.observe({ model: s.model }, s.firstChunkSeconds);
    }
  }
}
