// The "http" transport: Chat Completions over a keep-alive undici connection pool, without the
// SDK's per-call machinery. The wire is the one the SDK speaks (same path, headers, body, SSE)
// and errors come out as the same `LlmuxError`s; the provider tests run over both transports. It
// exists for gateways, where calls are many and cheap and every microsecond per call counts, and
// it hands a stream's events over in batches, one per network read.
import { classifyHttpError, LlmuxError } from "@llmux/core";
import { createParser } from "eventsource-parser";
import { type Dispatcher, Pool, errors as undiciErrors } from "undici";

export interface HttpTransportConfig {
  baseURL: string;
  apiKey: string;
  headers?: Record<string, string>;
  /** The undici dispatcher (`Agent`, `ProxyAgent`, `Pool`…) to send through; default: a pool per provider. */
  dispatcher?: Dispatcher;
}

interface CallContext {
  signal: AbortSignal | undefined;
  headers: Record<string, string> | undefined;
  who: { provider: string; model: string };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

// The SDK's default timeout (10 minutes), as undici's inactivity timeouts.
const TIMEOUT_MS = 10 * 60_000;

function timeoutError(error: unknown, who: CallContext["who"]): LlmuxError | undefined {
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
    return new LlmuxError({
      kind: "timeout",
      message: `${who.provider} (${who.model}) timed out`,
      ...who,
      cause: error,
    });
  }
  return undefined;
}

/** An error event inside a 200 stream, read the way the SDK reads it (Groq puts the status in it). */
function streamError(payload: Json, headers: Dispatcher.ResponseData["headers"], who: CallContext["who"]) {
  const inner = isObject(payload.error) ? payload.error : { message: String(payload.error) };
  const status = typeof inner.status_code === "number" ? inner.status_code : 500;
  return classifyHttpError({ status, headers, body: { error: inner }, ...who });
}

/** Sends Chat Completions requests over one keep-alive connection pool. */
export class OpenAIHttpTransport {
  private readonly origin: string;
  private readonly path: string;
  private readonly dispatcher: Dispatcher;
  private readonly headers: Record<string, Record<string, string>>;

  constructor(config: HttpTransportConfig) {
    const url = new URL(config.baseURL);
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new LlmuxError({
        kind: "bad_request",
        param: "baseURL",
        message: `baseURL must be an http(s) URL, got "${config.baseURL}"`,
      });
    }
    this.origin = url.origin;
    this.path = `${url.pathname.replace(/\/+$/, "")}/chat/completions${url.search}`;
    this.dispatcher =
      config.dispatcher ??
      new Pool(this.origin, {
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
        keepAliveTimeout: 30_000,
      });
    const base = {
      "content-type": "application/json",
      authorization: `Bearer ${config.apiKey}`,
      ...config.headers,
    };
    // Built once: a call only copies them when it brings headers of its own.
    this.headers = {
      json: { ...base, accept: "application/json" },
      sse: { ...base, accept: "text/event-stream" },
    };
  }

  private async send(body: Json, call: CallContext, kind: "json" | "sse"): Promise<Dispatcher.ResponseData> {
    const response = await this.dispatcher.request({
      origin: this.origin,
      path: this.path,
      method: "POST",
      headers: call.headers ? { ...this.headers[kind], ...call.headers } : this.headers[kind],
      body: JSON.stringify(body),
      signal: call.signal,
    });
    if (response.statusCode >= 400) {
      const text = await response.body.text().catch(() => "");
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // plain-text error bodies are classified as text
      }
      throw classifyHttpError({
        status: response.statusCode,
        headers: response.headers,
        body: parsed,
        ...call.who,
      });
    }
    return response;
  }

  /** POST …/chat/completions; resolves to the parsed JSON body (a SyntaxError if it is not JSON). */
  async create(body: Json, call: CallContext): Promise<unknown> {
    try {
      const response = await this.send(body, call, "json");
      return JSON.parse(await response.body.text());
    } catch (error) {
      throw timeoutError(error, call.who) ?? error;
    }
  }

  /**
   * POST …/chat/completions with `stream: true`; yields the parsed SSE `data:` payloads until
   * `[DONE]`, as one batch per network read. An `error` event (or payload) throws the classified error.
   */
  async *stream(body: Json, call: CallContext): AsyncGenerator<unknown[]> {
    let response: Dispatcher.ResponseData;
    try {
      response = await this.send(body, call, "sse");
    } catch (error) {
      throw timeoutError(error, call.who) ?? error;
    }
    let batch: unknown[] = [];
    let done = false;
    let failure: LlmuxError | undefined;
    const parser = createParser({
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
    const stream = response.body;
    const decoder = new TextDecoder();
    try {
      for await (const bytes of stream) {
        parser.feed(decoder.decode(bytes as Uint8Array, { stream: true }));
        if (batch.length > 0) {
          const ready = batch;
          batch = [];
          yield ready;
        }
        if (failure) throw failure;
        // After [DONE] the body is read to its end (as the SDK does), so the connection is free
        // for the next call as soon as this one returns.
      }
    } catch (error) {
      throw timeoutError(error, call.who) ?? error;
    } finally {
      // A consumer that stops early, or a failure, closes the response: the model would go on generating.
      if (!stream.readableEnded) stream.destroy();
    }
  }
}
