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

/**
 * What is pending for one label set (model, deployment, key, status, stream, error kind): counts and
 * sums to add, and the durations to observe. A request adds numbers to its cell (the last one used,
 * in the usual case of a client repeating itself); nothing is allocated per request, so nothing
 * waits in the young generation to be copied out of it. The cells are applied to the Prometheus
 * metrics in one loop: at every scrape (each metric's `collect` flushes) and whenever a cell holds
 * `PENDING_LIMIT` durations, which bounds the memory.
 */
interface Cell {
  model: string;
  deployment: string;
  key: string;
  status: number;
  stream: boolean;
  errorKind: string | undefined;
  requests: number;
  promptTokens: number | undefined;
  completionTokens: number | undefined;
  costUsd: number;
  seconds: number[];
  firstChunkSeconds: number[];
}

const PENDING_LIMIT = 512;

/** Prometheus metrics of the gateway, in their own registry. */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly cells = new Map<string, Cell>();
  private last: Cell | undefined;
  private readonly applyPending = () => this.flush();

  readonly requests = new Counter({
    name: "llmux_requests_total",
    help: "Chat completion requests by model, deployment, key and HTTP status",
    labelNames: ["model", "deployment", "key", "status", "stream"] as const,
    registers: [this.registry],
    collect: this.applyPending,
  });
  readonly latency = new Histogram({
    name: "llmux_request_duration_seconds",
    help: "Time to the full response (JSON) or to the end of the stream (SSE)",
    labelNames: ["model", "stream"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
    collect: this.applyPending,
  });
  readonly firstChunk = new Histogram({
    name: "llmux_time_to_first_chunk_seconds",
    help: "Time to the first streamed chunk",
    labelNames: ["model"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
    collect: this.applyPending,
  });
  readonly tokens = new Counter({
    name: "llmux_tokens_total",
    help: "Tokens by model, deployment and type (prompt, completion)",
    labelNames: ["model", "deployment", "type"] as const,
    registers: [this.registry],
    collect: this.applyPending,
  });
  readonly cost = new Counter({
    name: "llmux_cost_usd_total",
    help: "Cost in USD by model, deployment and key (calls with unknown price are not included)",
    labelNames: ["model", "deployment", "key"] as const,
    registers: [this.registry],
    collect: this.applyPending,
  });
  readonly errors = new Counter({
    name: "llmux_errors_total",
    help: "Failed requests by error kind and model",
    labelNames: ["kind", "model"] as const,
    registers: [this.registry],
    collect: this.applyPending,
  });

  constructor(defaultMetrics = true) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: "llmux_process_" });
  }

  /** Records one finished request (requests, latency, time to first chunk, tokens, cost, errors). */
  recordChat(sample: ChatSample): void {
    const c = this.cell(sample);
    c.requests++;
    if (sample.promptTokens !== undefined) c.promptTokens = (c.promptTokens ?? 0) + sample.promptTokens;
    if (sample.completionTokens !== undefined)
      c.completionTokens = (c.completionTokens ?? 0) + sample.completionTokens;
    if (typeof sample.costUsd === "number" && sample.costUsd > 0) c.costUsd += sample.costUsd;
    c.seconds.push(sample.seconds);
    if (sample.firstChunkSeconds !== undefined) c.firstChunkSeconds.push(sample.firstChunkSeconds);
    if (c.seconds.length >= PENDING_LIMIT) this.flush();
  }

  private cell(s: ChatSample): Cell {
    const last = this.last;
    if (
      last &&
      last.model === s.model &&
      last.deployment === s.deployment &&
      last.key === s.key &&
      last.status === s.status &&
      last.stream === s.stream &&
      last.errorKind === s.errorKind
    )
      return last;
    // Unambiguous whatever the names contain.
    const id = JSON.stringify([s.model, s.deployment, s.key, s.status, s.stream, s.errorKind ?? null]);
    let cell = this.cells.get(id);
    if (!cell) {
      cell = {
        model: s.model,
        deployment: s.deployment,
        key: s.key,
        status: s.status,
        stream: s.stream,
        errorKind: s.errorKind,
        requests: 0,
        promptTokens: undefined,
        completionTokens: undefined,
        costUsd: 0,
        seconds: [],
        firstChunkSeconds: [],
      };
      // A label set seen once stays a series for good: the map never grows beyond the distinct sets.
      this.cells.set(id, cell);
    }
    this.last = cell;
    return cell;
  }

  /** Applies what is pending to the metrics; reading the registry does it first by itself. */
  flush(): void {
    for (const c of this.cells.values()) {
      if (c.requests === 0) continue;
      const stream = c.stream ? "true" : "false";
      this.requests.inc(
        { model: c.model, deployment: c.deployment, key: c.key, status: String(c.status), stream },
        c.requests,
      );
      const duration = { model: c.model, stream };
      for (const v of c.seconds) this.latency.observe(duration, v);
      if (c.promptTokens !== undefined)
        this.tokens.inc({ model: c.model, deployment: c.deployment, type: "prompt" }, c.promptTokens);
      if (c.completionTokens !== undefined)
        this.tokens.inc({ model: c.model, deployment: c.deployment, type: "completion" }, c.completionTokens);
      if (c.costUsd > 0) this.cost.inc({ model: c.model, deployment: c.deployment, key: c.key }, c.costUsd);
      if (c.errorKind) this.errors.inc({ kind: c.errorKind, model: c.model }, c.requests);
      const first = { model: c.model };
      for (const v of c.firstChunkSeconds) this.firstChunk.observe(first, v);
      c.requests = 0;
      c.promptTokens = undefined;
      c.completionTokens = undefined;
      c.costUsd = 0;
      c.seconds.length = 0;
      c.firstChunkSeconds.length = 0;
    }
  }
}
