// The "http" transport: Chat Completions over Node's own keep-alive HTTP client (node:http/https),
// without the SDK's per-call machinery. The wire is the one the SDK speaks (same path, headers,
// body, SSE) and errors come out as the same `LlmuxError`s; the provider tests run over both
// transports. It exists for gateways, where calls are many and cheap and every microsecond and
// megabyte per call counts: no client library is loaded at all (node:http is already in memory in
// any server), and a stream's events are handed over in batches, one per network read.
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import { classifyHttpError, LlmuxError } from "@llmux/core";
import { createParser, type EventSourceParser } from "eventsource-parser";

export interface HttpTransportConfig {
  baseURL: string;
  apiKey: string;
  headers?: Record<string, string>;
  /** The agent (connection pool) to send through; default: a keep-alive agent per provider. */
  agent?: http.Agent;
  /** No byte for this long (waiting for headers, or between body chunks) fails the call as `timeout`. Default 10 minutes, as the SDK. */
  idleTimeoutMs?: number;
}

interface CallContext {
  signal: AbortSignal | undefined;
  headers: Record<string, string> | undefined;
  who: { provider: string; model: string };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;

/** An error event inside a 200 stream, read the way the SDK reads it (Groq puts the status in it). */
function streamError(payload: Json, headers: IncomingHttpHeaders, who: CallContext["who"]): LlmuxError {
  const inner = isObject(payload.error) ? payload.error : { message: String(payload.error) };
  const status = typeof inner.status_code === "number" ? inner.status_code : 500;
  return classifyHttpError({ status, headers, body: { error: inner }, ...who });
}

function timeoutError(who: CallContext["who"], ms: number): LlmuxError {
  return new LlmuxError({
    kind: "timeout",
    message: `${who.provider} (${who.model}) sent nothing for ${ms} ms`,
    ...who,
  });
}

function readText(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    response.on("data", (chunk: Buffer) => parts.push(chunk));
    response.on("end", () =>
      resolve(parts.length === 1 ? parts[0]!.toString("utf8") : Buffer.concat(parts).toString("utf8")),
    );
    response.on("error", reject);
    response.on("close", () => {
      if (!response.complete)
        reject(Object.assign(new Error("the response was cut"), { code: "ECONNRESET" }));
    });
  });
}

/** Sends Chat Completions requests over one keep-alive connection pool. */
export class OpenAIHttpTransport {
  private readonly request: typeof http.request;
  private readonly target: http.RequestOptions;
  private readonly baseHeaders: Record<string, string>;
  private readonly idleTimeoutMs: number;

  constructor(config: HttpTransportConfig) {
    const url = new URL(config.baseURL);
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:") {
      throw new LlmuxError({
        kind: "bad_request",
        param: "baseURL",
        message: `baseURL must be an http(s) URL, got "${config.baseURL}"`,
      });
    }
    this.request = secure ? https.request : http.request;
    this.target = {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname.replace(/\/+$/, "")}/chat/completions${url.search}`,
      method: "POST",
      agent:
        config.agent ??
        new (secure ? https.Agent : http.Agent)({
          keepAlive: true,
          keepAliveMsecs: 30_000,
          scheduling: "lifo",
        }),
    };
    this.baseHeaders = {
      "content-type": "application/json",
      accept: "application/json",
      authorization: `Bearer ${config.apiKey}`,
      ...config.headers,
    };
    this.idleTimeoutMs = config.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  /** POSTs the body; resolves with the response once its headers are in (status < 400), else throws the classified error. */
  private send(body: Json, call: CallContext, accept: string): Promise<IncomingMessage> {
    const payload = JSON.stringify(body);
    const headers: Record<string, string | number> = {
      ...this.baseHeaders,
      accept,
      ...call.headers,
      "content-length": Buffer.byteLength(payload),
    };
    return new Promise((resolve, reject) => {
      const req = this.request({ ...this.target, headers, signal: call.signal }, (response) => {
        const status = response.statusCode ?? 0;
        if (status < 400) {
          resolve(response);
          return;
        }
        readText(response).then((text) => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // plain-text error bodies are classified as text
          }
          reject(classifyHttpError({ status, headers: response.headers, body: parsed, ...call.who }));
        }, reject);
      });
      req.setTimeout(this.idleTimeoutMs, () => req.destroy(timeoutError(call.who, this.idleTimeoutMs)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  /** POST …/chat/completions; resolves to the parsed JSON body (a SyntaxError if it is not JSON). */
  async create(body: Json, call: CallContext): Promise<unknown> {
    const response = await this.send(body, call, "application/json");
    response.setTimeout(this.idleTimeoutMs, () =>
      response.destroy(timeoutError(call.who, this.idleTimeoutMs)),
    );
    return JSON.parse(await readText(response));
  }

  /**
   * POST …/chat/completions with `stream: true`; yields the parsed SSE `data:` payloads until
   * `[DONE]`, as one batch per network read. An `error` event (or payload) throws the classified error.
   */
  async *stream(body: Json, call: CallContext): AsyncGenerator<unknown[]> {
    const response = await this.send(body, call, "text/event-stream");
    response.setTimeout(this.idleTimeoutMs, () =>
      response.destroy(timeoutError(call.who, this.idleTimeoutMs)),
    );
    response.setEncoding("utf8");
    let batch: unknown[] = [];
    let done = false;
    let failure: LlmuxError | undefined;
    const parser: EventSourceParser = createParser({
      onEvent(event) {
        if (done || failure) return;
        if (event.data.startsWith("[DONE]")) {
          done = true;
          return;
        }
        const payload: unknown = JSON.parse(event.data);
        if (isObject(payload) && payload.error !== undefined && payload.error !== null) {
          failure = streamError(payload, response.headers, call.who);
        } else if (event.event === "error") {
          failure = streamError({ error: payload }, response.headers, call.who);
        } else batch.push(payload);
      },
    });
    try {
      for await (const text of response) {
        parser.feed(text as string);
        if (batch.length > 0) {
          const ready = batch;
          batch = [];
          yield ready;
        }
        if (failure) throw failure;
        // After [DONE] the body is read to its end (as the SDK does), so the connection is free
        // for the next call as soon as this one returns.
      }
    } finally {
      // A consumer that stops early, or a failure, closes the response: the model would go on generating.
      if (!response.complete) response.destroy();
    }
  }
}
