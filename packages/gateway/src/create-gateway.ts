import type { ServerResponse } from "node:http";
import { hostname } from "node:os";
import {
  type CallOptions,
  type ChatChunk,
  type ChatModel,
  type ChatResult,
  chunkBatches,
  generateId,
  isLlmuxError,
  LlmuxError,
} from "@llmux/core";
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import { type DestinationStream, destination } from "pino";
import { GatewayActivity, type RequestRecord } from "./gateway-activity.js";
import { GatewayMetrics } from "./gateway-metrics.js";
import { clientError, toErrorResponse } from "./openai-error-response.js";
import { validateChatRequest } from "./validate-chat-request.js";
import { type VirtualKeySpec, VirtualKeyStore } from "./virtual-keys.js";

/** The part of an OpenTelemetry tracer the gateway uses (pass `trace.getTracer("llmux")`). */
export interface TracerLike {
  startSpan(name: string, options?: { attributes?: Record<string, string | number | boolean> }): SpanLike;
}
export interface SpanLike {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus?(status: { code: number; message?: string }): unknown;
  end(): void;
}

export interface GatewayOptions {
  /** What answers: usually a router; any `ChatModel` works. */
  model: ChatModel;
  /**
   * Model names served (for `GET /v1/models` and to reject unknown ones); default: accept any. Without
   * a list, the first 200 distinct names get their own metric series and usage totals; later ones
   * are counted as `(other)`, so clients cannot grow the gateway's memory by inventing names.
   */
  models?: readonly string[] | (() => readonly string[]);
  /** Admin key: manages virtual keys and may call every model. */
  masterKey?: string;
  /** Virtual keys (hashed at rest). */
  keys?: VirtualKeyStore;
  host?: string;
  port?: number;
  /** `Host` header names accepted (DNS-rebinding protection). Default on loopback: localhost, 127.0.0.1, ::1. */
  allowedHosts?: readonly string[];
  /** Largest request body in bytes (default 4 MiB). */
  bodyLimit?: number;
  /**
   * pino logger options, or false for silence (default: info-level JSON lines on stdout). With no
   * options other than `level` and `stream`, the gateway writes its request lines itself, in pino's
   * format; any other option leaves them to pino.
   */
  logger?: boolean | Record<string, unknown>;
  /** Log message contents (default false: only ids, models, tokens, cost, latency). */
  logContent?: boolean;
  /** Return `llmux` metadata (deployment, cost, trace) in response bodies too (default false: headers only). */
  exposeMetadata?: boolean;
  /** How long shutdown waits for in-flight streams (default 10 s). */
  shutdownGraceMs?: number;
  /** OpenTelemetry spans following the GenAI conventions (off unless a tracer is given). */
  tracer?: TracerLike;
  /** Node process metrics in /metrics (default true). */
  processMetrics?: boolean;
  /**
   * What the admin API (`/admin/requests`, `/admin/usage`, `/admin/events`) and the console show:
   * recent requests with their routing decisions and usage totals (default: the last 500 requests).
   */
  activity?: GatewayActivity;
}

export interface Gateway {
  readonly app: FastifyInstance;
  readonly metrics: GatewayMetrics;
  readonly keys: VirtualKeyStore;
  /** Recent requests and usage totals (what `/admin/requests` and `/admin/usage` serve). */
  readonly activity: GatewayActivity;
  /** Starts listening; resolves to the base URL, e.g. `http://127.0.0.1:8080`. */
  listen(): Promise<string>;
  /** Stops accepting, lets in-flight requests and streams finish (up to the grace time), then closes. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  if (hostHeader.startsWith("[")) return hostHeader.slice(0, hostHeader.indexOf("]") + 1);
  return hostHeader.split(":")[0]?.toLowerCase();
}

function bearer(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === "string" && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, "").trim();
  const apiKey = req.headers["api-key"] ?? req.headers["x-api-key"];
  return typeof apiKey === "string" ? apiKey : undefined;
}

// Request log lines wait in a short queue and are written in one loop: at LOG_BATCH lines, after
// LOG_DELAY_MS, and at close. Building each line between network callbacks, on cold caches, cost
// ≈5 µs more CPU per request than this loop does. Each line keeps its own time.
const LOG_BATCH = 128;
const LOG_DELAY_MS = 50;
const LINE_MSG = "chat completion";
const LINE_END = `,"msg":${JSON.stringify(LINE_MSG)}}\n`;

// Without a list of served models, the distinct model names that get their own series and totals.
const MAX_UNLISTED_MODELS = 200;
const OTHER_MODEL = "(other)";

const LIVE_FEED_MAX_BUFFER = 1024 * 1024; // an admin live feed further behind than this is closed
const FLUSH_AT = 64 * 1024; // a producer faster than the event loop still writes (and waits) in 64 KiB steps

/**
 * Writes SSE events, coalescing the ones produced in the same turn of the event loop into one socket
 * write: an upstream read usually carries several events, and one write per event would cost a
 * syscall each. The first write goes out with the response headers; backpressure is honoured.
 */
class SseWriter {
  private pending = "";
  private scheduled = false;
  private drained: Promise<unknown> | undefined;

  constructor(private readonly raw: ServerResponse) {}

  /** Queues `data: <payload>`; the promise (when there is one) says to wait: the client is not keeping up. */
  event(payload: string): Promise<unknown> | undefined {
    this.pending += `data: ${payload}\n\n`;
    if (this.pending.length >= FLUSH_AT) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushLater);
    }
    return this.drained;
  }

  private readonly flushLater = () => {
    this.scheduled = false;
    this.flush();
  };

  /**
   * Writes what is queued now, and sends it: node:http corks the socket of a chunked response on
   * each write until the next `process.nextTick`, and a stream's later events, read and written in
   * promise callbacks, would otherwise leave with it in one packet at the end.
   */
  send(): void {
    this.flush();
    this.raw.socket?.uncork();
  }

  private flush(): void {
    if (this.pending === "" || this.raw.destroyed || this.raw.writableEnded) return;
    const ok = this.raw.write(this.pending);
    this.pending = "";
    if (!ok && !this.drained) {
      // A client that goes away never drains: "close" releases the writer too.
      this.drained = new Promise<void>((resolve) => {
        const release = () => {
          this.raw.off("drain", release).off("close", release);
          this.drained = undefined;
          resolve();
        };
        this.raw.on("drain", release).on("close", release);
      });
    }
  }

  /** Writes what is queued plus a last event, and ends the response, in one write. */
  end(payload: string): void {
    if (this.raw.destroyed || this.raw.writableEnded) return;
    this.raw.end(`${this.pending}data: ${payload}\n\n`);
    this.pending = "";
  }
}

/** Takes the response over from fastify and sends the headers of a Server-Sent Events stream. */
function startEventStream(reply: FastifyReply, requestId: string): ServerResponse {
  reply.hijack();
  const raw: ServerResponse = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-request-id": requestId,
    "x-accel-buffering": "no",
  });
  return raw;
}

function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const { status, body, headers } = toErrorResponse(error);
  return reply.code(status).headers(headers).send(body);
}

/**
 * An OpenAI-compatible HTTP gateway over any `ChatModel`.
 *
 * @example
 * const gateway = createGateway({ model: router, models: router.groups, masterKey: process.env.LLMUX_MASTER_KEY });
 * console.log(await gateway.listen()); // http://127.0.0.1:8080 — point any OpenAI SDK's baseURL at …/v1
 */
export function createGateway(options: GatewayOptions): Gateway {
  if (!options?.model || typeof options.model.chat !== "function") {
    throw new LlmuxError({
      kind: "bad_request",
      param: "model",
      message: "createGateway: `model` must be a ChatModel",
    });
  }
  const host = options.host ?? "127.0.0.1";
  const keys = options.keys ?? new VirtualKeyStore();
  const exposed = !LOOPBACK.has(host);
  if (exposed && !options.masterKey) {
    throw new LlmuxError({
      kind: "bad_request",
      param: "masterKey",
      message: `createGateway: binding to ${host} exposes the gateway beyond this machine; set a masterKey (LLMUX_MASTER_KEY) so requests need a key`,
    });
  }
  const allowedHosts = options.allowedHosts
    ? new Set(options.allowedHosts.map((h) => h.toLowerCase()))
    : exposed
      ? undefined
      : LOOPBACK;
  const modelList = () => (typeof options.models === "function" ? options.models() : options.models);
  const metrics = new GatewayMetrics(options.processMetrics ?? true);
  const activity = options.activity ?? new GatewayActivity();
  const liveFeeds = new Set<ServerResponse>();
  const model = options.model;
  const inflight = new Set<Promise<void>>();
  const unlistedModels = new Set<string>();
  /** The model name metrics and usage totals count a request under (bounded without a served list). */
  const modelLabel = (name: string, listed: boolean): string => {
    if (listed || unlistedModels.has(name)) return name;
    if (unlistedModels.size >= MAX_UNLISTED_MODELS) return OTHER_MODEL;
    unlistedModels.add(name);
    return name;
  };
  let ready = false;
  let draining = false;

  const logsRequests = (req: FastifyRequest): boolean => {
    if (options.logger === false) return false;
    const log = req.log as FastifyRequest["log"] & { isLevelEnabled?: (level: string) => boolean };
    return typeof log.isLevelEnabled === "function" ? log.isLevelEnabled("info") : true;
  };
  // A queued request line is written with the time its request finished: the logger's timestamp
  // reads it (unless the options bring their own timestamp).
  let lineTime: number | undefined;
  const loggerOptions = options.logger === undefined || options.logger === true ? {} : options.logger;
  // With pino's default format (logger options `level` and `stream` at most), the gateway writes its
  // request lines itself, the way pino would write them: one JSON.stringify per line instead of pino
  // escaping every field name and value one character at a time. Under callgrind the line took ≈28k
  // of the ≈370k instructions a JSON request costs (JSON at concurrency 10). Any other option
  // (serializers, redact, formatters, base, mixin, custom levels, a timestamp, …) keeps pino's own
  // formatting of every line.
  const lineStream =
    typeof loggerOptions === "object" &&
    Object.keys(loggerOptions).every((k) => k === "level" || k === "stream")
      ? ((loggerOptions.stream as DestinationStream | undefined) ?? destination(1)) // pino's default, stdout
      : undefined;
  const app = Fastify({
    logger:
      typeof loggerOptions === "object" && loggerOptions.timestamp === undefined
        ? {
            level: "info",
            ...loggerOptions,
            ...(lineStream ? { stream: lineStream } : {}),
            timestamp: () => `,"time":${lineTime ?? Date.now()}`,
          }
        : loggerOptions,
    bodyLimit: options.bodyLimit ?? 4 * 1024 * 1024,
    // One log line per request is written by the route itself (without contents).
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: the request line and error logs carry the request id themselves.
    childLoggerFactory: (logger) => logger,
    requestTimeout: 10 * 60_000,
    connectionTimeout: 0,
    keepAliveTimeout: 72_000,
    return503OnClosing: true,
    genReqId: (req) => {
      const incoming = req.headers["x-request-id"];
      return typeof incoming === "string" && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : generateId("req");
    },
  });

  // What pino puts around a line at level info with its default base: `{"level":30,"time":…,"pid":…,
  // "hostname":…,` + the fields + `,"msg":…}`.
  const lineBase = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())},`;
  // Two parallel arrays rather than a { time, line } object per request.
  let pendingLines: Record<string, unknown>[] = [];
  let pendingTimes: number[] = [];
  let linesTimer: NodeJS.Timeout | undefined;
  const writeLines = () => {
    if (linesTimer) clearTimeout(linesTimer);
    linesTimer = undefined;
    const lines = pendingLines;
    const times = pendingTimes;
    pendingLines = [];
    pendingTimes = [];
    if (lineStream) {
      for (let i = 0; i < lines.length; i++)
        lineStream.write(
          `{"level":30,"time":${times[i]}${lineBase}${JSON.stringify(lines[i]).slice(1, -1)}${LINE_END}`,
        );
      return;
    }
    for (let i = 0; i < lines.length; i++) {
      lineTime = times[i];
      app.log.info(lines[i], LINE_MSG);
    }
    lineTime = undefined;
  };
  const queueLine = (line: Record<string, unknown>) => {
    pendingLines.push(line);
    pendingTimes.push(Date.now());
    if (pendingLines.length >= LOG_BATCH) writeLines();
    else linesTimer ??= setTimeout(writeLines, LOG_DELAY_MS).unref();
  };

  // JSON bodies: empty is allowed (DELETE with a content type), invalid JSON is a 400 that says so.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    if (body === "") return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch (e) {
      done(
        clientError("bad_request", `body: not valid JSON (${(e as Error).message})`, "body", "invalid_json"),
        undefined,
      );
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (isLlmuxError(error)) return sendError(reply, error);
    const code = error.code ?? "";
    if (code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      return reply.code(413).send({
        error: {
          message: `body: larger than the ${options.bodyLimit ?? 4 * 1024 * 1024} bytes this gateway accepts`,
          type: "invalid_request_error",
          param: null,
          code: "body_too_large",
        },
      });
    }
    if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      return reply.code(415).send({
        error: {
          message: "body: expected Content-Type: application/json",
          type: "invalid_request_error",
          param: null,
          code: "unsupported_media_type",
        },
      });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({
        error: {
          message: `body: ${error.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'$/, "not valid JSON")}`,
          type: "invalid_request_error",
          param: null,
          code: "invalid_body",
        },
      });
    }
    app.log.error({ requestId: req.id, err: { message: error.message, code } }, "unhandled gateway error");
    return reply
      .code(500)
      .send({ error: { message: "internal gateway error", type: "api_error", param: null, code: null } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({
      error: {
        message: `no route for ${req.method} ${req.url.split("?")[0]}`,
        type: "invalid_request_error",
        param: null,
        code: "not_found",
      },
    }),
  );

  // Callback-style hook (no promise per request); clients send the same Host on every request, so
  // the last verdicts are remembered.
  const hostVerdicts = new Map<string, boolean>();
  const hostAllowed = (header: string | undefined): boolean => {
    if (!allowedHosts) return true;
    if (header === undefined) return false;
    let ok = hostVerdicts.get(header);
    if (ok === undefined) {
      const hostname = hostnameOf(header);
      ok = hostname !== undefined && allowedHosts.has(hostname);
      if (hostVerdicts.size >= 64) hostVerdicts.clear();
      hostVerdicts.set(header, ok);
    }
    return ok;
  };
  app.addHook("onRequest", (req, reply, done) => {
    reply.header("x-request-id", req.id);
    if (hostAllowed(req.headers.host)) return done();
    sendError(
      reply,
      clientError(
        "permission",
        `Host "${req.headers.host ?? ""}" is not allowed (DNS-rebinding protection); allowed: ${[...(allowedHosts ?? [])].join(", ")}`,
        undefined,
        "host_not_allowed",
      ),
    );
  });

  function authenticate(req: FastifyRequest) {
    const needsKey = options.masterKey !== undefined || keys.size > 0;
    if (!needsKey) return { master: false, key: undefined };
    const token = bearer(req);
    if (!token)
      throw clientError(
        "auth",
        "missing API key: send Authorization: Bearer <key>",
        undefined,
        "missing_api_key",
      );
    if (
      options.masterKey &&
      token.length === options.masterKey.length &&
      keys.find(token) === undefined &&
      token === options.masterKey
    ) {
      return { master: true, key: undefined };
    }
    const key = keys.find(token);
    if (!key) throw clientError("auth", "invalid API key", undefined, "invalid_api_key");
    return { master: false, key };
  }

  function requireMaster(req: FastifyRequest) {
    if (!options.masterKey)
      throw clientError(
        "not_found",
        "the admin API is disabled: start the gateway with a master key",
        undefined,
        "admin_disabled",
      );
    if (bearer(req) !== options.masterKey)
      throw clientError("auth", "the admin API needs the master key", undefined, "invalid_api_key");
  }

  app.get("/health", async () => ({ status: "ok" }));
  app.get("/ready", async (_req, reply) =>
    ready && !draining
      ? { status: "ready" }
      : reply.code(503).send({ status: draining ? "draining" : "starting" }),
  );
  app.get("/metrics", async (_req, reply) =>
    reply.header("content-type", metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  app.get("/v1/models", async (req) => {
    authenticate(req);
    const created = Math.floor(Date.now() / 1000);
    return {
      object: "list",
      data: (modelList() ?? [model.id]).map((id) => ({ id, object: "model", created, owned_by: "llmux" })),
    };
  });

  app.post("/admin/keys", async (req, reply) => {
    requireMaster(req);
    const { key, info } = keys.create(req.body as VirtualKeySpec);
    return reply.code(201).send({ key, ...info });
  });
  app.get("/admin/keys", async (req) => {
    requireMaster(req);
    return { data: keys.list() };
  });
  app.delete<{ Params: { id: string } }>("/admin/keys/:id", async (req, reply) => {
    requireMaster(req);
    if (!keys.delete(req.params.id))
      throw clientError("not_found", `no key with id "${req.params.id}"`, "id", "key_not_found");
    return reply.code(204).send();
  });

  app.get<{ Querystring: { limit?: string } }>("/admin/requests", async (req) => {
    requireMaster(req);
    const raw = req.query.limit;
    const limit = raw === undefined ? 100 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1)
      throw clientError(
        "bad_request",
        `limit: expected a positive integer, got "${raw}"`,
        "limit",
        "invalid_limit",
      );
    return { data: activity.recent(limit) };
  });
  app.get<{ Params: { id: string } }>("/admin/requests/:id", async (req) => {
    requireMaster(req);
    const record = activity.get(req.params.id);
    if (!record)
      throw clientError(
        "not_found",
        `no recent request with id "${req.params.id}" (the gateway keeps the last ${activity.size})`,
        "id",
        "request_not_found",
      );
    return record;
  });
  app.get("/admin/usage", async (req) => {
    requireMaster(req);
    return activity.usage();
  });
  // Live feed: one `event: request` per finished request, as Server-Sent Events.
  app.get("/admin/events", async (req, reply) => {
    requireMaster(req);
    const raw = startEventStream(reply, req.id);
    raw.write("retry: 2000\n: connected\n\n");
    const unsubscribe = activity.subscribe((_record, json) => {
      // A reader that stopped reading is dropped rather than buffered without bound.
      if (raw.writableLength > LIVE_FEED_MAX_BUFFER) raw.destroy();
      else raw.write(`event: request\ndata: ${json}\n\n`);
    });
    const ping = setInterval(() => raw.write(": ping\n\n"), 15_000);
    ping.unref();
    liveFeeds.add(raw);
    raw.on("close", () => {
      clearInterval(ping);
      unsubscribe();
      liveFeeds.delete(raw);
    });
    return reply;
  });

  app.post("/v1/chat/completions", async (req, reply) => {
    const started = performance.now();
    const { key } = authenticate(req);
    const { request, stream } = validateChatRequest(req.body);
    const served = modelList();
    if (served && !served.includes(request.model)) {
      throw clientError(
        "not_found",
        `The model \`${request.model}\` does not exist or you do not have access to it. Available: ${served.join(", ")}`,
        "model",
        "model_not_found",
      );
    }
    if (key) keys.admit(key, request.model);
    const keyLabel = key?.name ?? "-";
    const countedAs = modelLabel(request.model, served !== undefined);
    // A client that goes away cancels the upstream call.
    const controller = new AbortController();
    reply.raw.on("close", () => {
      if (!reply.raw.writableFinished) controller.abort(new Error("client disconnected"));
    });
    const callOptions: CallOptions = {
      signal: controller.signal,
      metadata: { requestId: req.id, key: key?.id, tags: request.metadata?.tags },
    };
    const span = options.tracer?.startSpan(`chat ${request.model}`, {
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": request.model,
        ...(request.temperature !== undefined ? { "gen_ai.request.temperature": request.temperature } : {}),
      },
    });
    let firstChunkSeconds: number | undefined;
    const finish = (
      status: number,
      result: Pick<ChatResult, "usage" | "llmux" | "model"> | undefined,
      errorKind?: string,
      error?: unknown,
    ) => {
      const meta = result?.llmux;
      const deployment = meta?.deployment ?? "-";
      const seconds = (performance.now() - started) / 1000;
      const cost = meta?.costUsd;
      const record: RequestRecord = {
        id: req.id,
        time: Math.round(performance.timeOrigin + started), // when it arrived, on the wall clock
        model: countedAs,
        deployment: meta?.deployment ?? null,
        provider: meta?.provider ?? null,
        key: key?.name ?? null,
        status,
        stream,
        latencyMs: Math.round(seconds * 10_000) / 10,
        attempts: meta?.attempts,
        promptTokens: result?.usage?.prompt_tokens,
        completionTokens: result?.usage?.completion_tokens,
        costUsd: cost,
        trace: meta?.trace ?? (error as { trace?: unknown } | undefined)?.trace,
      };
      if (firstChunkSeconds !== undefined) record.firstChunkMs = Math.round(firstChunkSeconds * 10_000) / 10;
      if (errorKind) {
        record.errorKind = errorKind;
        if (error instanceof Error) record.error = error.message.slice(0, 300);
      }
      activity.record(record);
      metrics.recordChat({
        model: countedAs,
        deployment,
        key: keyLabel,
        status,
        stream,
        seconds,
        promptTokens: result?.usage?.prompt_tokens,
        completionTokens: result?.usage?.completion_tokens,
        costUsd: cost,
        errorKind,
        firstChunkSeconds,
      });
      if (key) keys.charge(key, cost);
      if (span) {
        if (result?.model) span.setAttribute("gen_ai.response.model", result.model);
        if (result?.llmux?.provider) span.setAttribute("gen_ai.provider.name", result.llmux.provider);
        if (result?.usage) {
          span.setAttribute("gen_ai.usage.input_tokens", result.usage.prompt_tokens);
          span.setAttribute("gen_ai.usage.output_tokens", result.usage.completion_tokens);
        }
        if (errorKind) {
          span.setAttribute("error.type", errorKind);
          span.setStatus?.({ code: 2, message: errorKind });
        }
        span.end();
      }
      if (!logsRequests(req)) return; // the log object is not even built for a silent logger
      queueLine({
        requestId: req.id,
        model: request.model,
        deployment,
        key: keyLabel,
        status,
        stream,
        latencyMs: Math.round(seconds * 1000),
        promptTokens: result?.usage?.prompt_tokens,
        completionTokens: result?.usage?.completion_tokens,
        costUsd: cost,
        ...(options.logContent ? { messages: request.messages } : {}),
      });
    };

    if (!stream) {
      let result: ChatResult;
      try {
        result = await model.chat(request, callOptions);
      } catch (e) {
        const kind = isLlmuxError(e) ? e.kind : "server";
        finish(toErrorResponse(e).status, undefined, kind, e);
        throw e;
      }
      const meta = result.llmux;
      if (meta?.deployment) reply.header("x-llmux-deployment", meta.deployment);
      if (meta?.attempts !== undefined) reply.header("x-llmux-attempts", String(meta.attempts));
      if (meta?.costUsd !== undefined && meta.costUsd !== null)
        reply.header("x-llmux-cost-usd", meta.costUsd.toFixed(8));
      // Accounting (metrics, key spend, log line, span) runs once the answer is on its way: after
      // fastify writes it, in the same turn of the event loop, before the next request is read.
      setImmediate(finish, 200, result);
      if (options.exposeMetadata) return result;
      const { llmux: _llmux, ...body } = result;
      return body;
    }

    // Streams: the first chunk is awaited before any byte is written, so a request that fails
    // before streaming still gets a proper HTTP error status.
    const includeUsage = request.stream_options?.include_usage === true;
    // Chunks come in the batches the model delivers them in (one per upstream read, for adapters
    // that batch): each batch is written to the client in one go.
    const upstream = chunkBatches(
      model.stream({ ...request, stream_options: { include_usage: true } }, callOptions),
    )[Symbol.asyncIterator]();
    let first: IteratorResult<readonly ChatChunk[]>;
    try {
      first = await upstream.next();
    } catch (e) {
      finish(toErrorResponse(e).status, undefined, isLlmuxError(e) ? e.kind : "server", e);
      throw e;
    }
    firstChunkSeconds = (performance.now() - started) / 1000;
    const raw = startEventStream(reply, req.id);
    const out = new SseWriter(raw);
    const done = (async () => {
      let usage: ChatResult["usage"];
      let meta: ChatResult["llmux"];
      let responseModel: string | undefined;
      let errorKind: string | undefined;
      let failure: unknown;
      try {
        for (let step = first; !step.done; step = await upstream.next()) {
          let wait: Promise<unknown> | undefined;
          for (const chunk of step.value) {
            if (chunk.usage) usage = chunk.usage;
            if (chunk.llmux) meta = meta ? { ...meta, ...chunk.llmux } : chunk.llmux;
            responseModel ??= chunk.model;
            let sent: ChatChunk | undefined = chunk;
            if ((!includeUsage && chunk.usage) || (chunk.llmux && !options.exposeMetadata)) {
              const { usage: u, llmux: l, ...rest } = chunk;
              sent = { ...rest } as ChatChunk;
              if (includeUsage && u) sent.usage = u;
              if (options.exposeMetadata && l) sent.llmux = l;
              if (sent.choices.length === 0 && !sent.usage && !sent.llmux) sent = undefined;
            }
            if (sent) wait = out.event(JSON.stringify(sent));
          }
          // The first batch (the first event, for adapters that hand it over alone) goes out with
          // the headers at once: the time to the first token does not wait for the turn to end.
          if (step === first) out.send();
          if (wait) await wait; // the client is not keeping up: read no further until it drains
        }
        out.end("[DONE]");
      } catch (e) {
        errorKind = isLlmuxError(e) ? e.kind : "server";
        failure = e;
        out.end(JSON.stringify(toErrorResponse(e).body));
      } finally {
        finish(
          errorKind
            ? toErrorResponse(new LlmuxError({ kind: errorKind as LlmuxError["kind"], message: "" })).status
            : 200,
          { usage, llmux: meta, model: responseModel ?? request.model },
          errorKind,
          failure,
        );
      }
    })();
    inflight.add(done);
    void done.finally(() => inflight.delete(done));
    return reply;
  });

  return {
    app,
    metrics,
    keys,
    activity,
    async listen() {
      const address = await app.listen({ host, port: options.port ?? 8080 });
      // A process that exits without close() still writes the queued request lines.
      process.on("exit", writeLines);
      ready = true;
      return address.replace("[::1]", "127.0.0.1");
    },
    async close() {
      draining = true;
      const grace = options.shutdownGraceMs ?? 10_000;
      await Promise.race([
        Promise.allSettled([...inflight]),
        new Promise((r) => setTimeout(r, grace).unref()),
      ]);
      for (const feed of liveFeeds) feed.end();
      await app.close();
      // After the last request has finished: its line is queued by then.
      process.off("exit", writeLines);
      writeLines();
    },
  };
}

/** `createGateway` + `listen`. */
export async function startGateway(options: GatewayOptions): Promise<Gateway & { url: string }> {
  const gateway = createGateway(options);
  const url = await gateway.listen();
  return Object.assign(gateway, { url });
}
