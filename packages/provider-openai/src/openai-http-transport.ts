// The "http" transport: Chat Completions over a keep-alive undici connection pool, without the
// SDK's per-call machinery. The wire is the one the SDK speaks (same path, headers, body, SSE)
// and errors come out as the same `LlmuxError`s; the provider tests run over both transports. It
// exists for gateways, where calls are many and cheap and every microsecond per call counts, and
// it hands a stream's events over in batches, one per network read. Responses are read through
// undici's handler API (`dispatch`), not its `request` API: no Readable stream per response, whose
// machinery (ticks, events, buffering) cost more per call than the rest of the transport together.

import type { IncomingHttpHeaders } from "node:http";
import { classifyHttpError, LlmuxError } from "@llmux/core";
import { createParser } from "eventsource-parser";
import type { Dispatcher } from "undici";
import undiciErrors from "undici/lib/core/errors.js";
import Pool from "undici/lib/dispatcher/pool.js";

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
function streamError(payload: Json, headers: IncomingHttpHeaders, who: CallContext["who"]) {
  const inner = isObject(payload.error) ? payload.error : { message: String(payload.error) };
  const status = typeof inner.status_code === "number" ? inner.status_code : 500;
  return classifyHttpError({ status, headers, body: { error: inner }, ...who });
}

/** Where the first SSE event of `text` ends (after its blank line), or -1 when it is not all there. */
function firstEventEnd(text: string): number {
  const lf = text.indexOf("\n\n");
  const crlf = text.indexOf("\r\n\r\n");
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
  return lf >= 0 ? lf + 2 : -1;
}

const PAUSE_AT = 256 * 1024; // a stream's unread bytes beyond which the connection is paused

/**
 * One call's response, as undici delivers it to a dispatch handler: the status and headers, then
 * the body as buffers. JSON bodies are collected whole; a stream's are handed over as they come,
 * everything that arrived since the last read at once, and the connection is paused while a slow
 * reader has more than `PAUSE_AT` bytes waiting.
 */
class ResponseReader implements Dispatcher.DispatchHandler {
  /** 0 until the headers of the final answer are in. */
  status = 0;
  headers: IncomingHttpHeaders = {};
  private controller: Dispatcher.DispatchController | undefined;
  private parts: Buffer[] = [];
  private size = 0;
  private ended = false;
  private failure: Error | undefined;
  // Whoever waits: for the headers, for the end (JSON), or for more data (streams).
  private wake: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(private readonly signal: AbortSignal | undefined) {}

  private readonly onAbort = () => this.controller?.abort(this.signal?.reason ?? new Error("aborted"));

  private settle(error?: Error): void {
    const waiter = this.wake;
    this.wake = undefined;
    if (waiter) error ? waiter.reject(error) : waiter.resolve();
  }

  private wait(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.wake = { resolve, reject };
    });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    const signal = this.signal;
    if (!signal) return;
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener("abort", this.onAbort, { once: true });
  }

  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    if (status < 200) return; // 1xx: the real answer follows
    this.status = status;
    this.headers = headers;
    this.settle();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size > PAUSE_AT && this.wake === undefined) controller.pause();
    this.settle();
  }

  onResponseEnd(): void {
    this.ended = true;
    this.signal?.removeEventListener("abort", this.onAbort);
    this.settle();
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error): void {
    this.failure = error;
    this.signal?.removeEventListener("abort", this.onAbort);
    this.settle(error);
  }

  /** Resolves once the status and headers are in. */
  async response(): Promise<void> {
    while (this.status === 0) {
      if (this.failure) throw this.failure;
      await this.wait();
    }
  }

  /** The whole body. */
  async text(): Promise<string> {
    while (!this.ended) {
      if (this.failure) throw this.failure;
      if (this.controller?.paused) this.controller.resume();
      await this.wait();
    }
    const text =
      this.parts.length === 1 ? this.parts[0]!.toString("utf8") : Buffer.concat(this.parts).toString("utf8");
    this.parts = [];
    return text;
  }

  /** What arrived since the last read (waiting for something if nothing did), or undefined at the end. */
  async read(): Promise<Buffer | undefined> {
    while (this.parts.length === 0) {
      if (this.failure) throw this.failure;
      if (this.ended) return undefined;
      if (this.controller?.paused) this.controller.resume();
      await this.wait();
    }
    const parts = this.parts;
    this.parts = [];
    this.size = 0;
    if (this.controller?.paused) this.controller.resume();
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  /** Stops the response if it is still coming (a reader that stops early, or a failure). */
  close(): void {
    if (this.ended || this.failure) return;
    this.signal?.removeEventListener("abort", this.onAbort);
    this.controller?.abort(new Error("the reader closed the response"));
  }
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

  /** Sends the request; resolves once the headers of a successful answer are in. */
  private async send(body: Json, call: CallContext, kind: "json" | "sse"): Promise<ResponseReader> {
    const reader = new ResponseReader(call.signal);
    this.dispatcher.dispatch(
      {
        origin: this.origin,
        path: this.path,
        method: "POST",
        headers: call.headers ? { ...this.headers[kind], ...call.headers } : this.headers[kind],
        body: JSON.stringify(body),
      },
      reader,
    );
    await reader.response();
    if (reader.status >= 400) {
      const text = await reader.text().catch(() => "");
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // plain-text error bodies are classified as text
      }
      throw classifyHttpError({ status: reader.status, headers: reader.headers, body: parsed, ...call.who });
    }
    return reader;
  }

  /** POST …/chat/completions; resolves to the parsed JSON body (a SyntaxError if it is not JSON). */
  async create(body: Json, call: CallContext): Promise<unknown> {
    try {
      const reader = await this.send(body, call, "json");
      return JSON.parse(await reader.text());
    } catch (error) {
      throw timeoutError(error, call.who) ?? error;
    }
  }

  /**
   * POST …/chat/completions with `stream: true`; yields the parsed SSE `data:` payloads until
   * `[DONE]`, as one batch per network read. An `error` event (or payload) throws the classified error.
   */
  async *stream(body: Json, call: CallContext): AsyncGenerator<unknown[]> {
    let reader: ResponseReader;
    try {
      reader = await this.send(body, call, "sse");
    } catch (error) {
      throw timeoutError(error, call.who) ?? error;
    }
    const headers = reader.headers;
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
          failure = streamError(payload, headers, call.who);
        } else if (event.event === "error") {
          failure = streamError({ error: payload }, headers, call.who);
        } else batch.push(payload);
      },
    });
    const decoder = new TextDecoder();
    // The stream's first event is handed over alone, before the rest of its read is parsed: a
    // fast upstream's first read often holds the whole answer, and the first token should not
    // wait for the parsing and mapping of every event after it.
    let first = true;
    const take = () => {
      const ready = batch;
      batch = [];
      first = false;
      return ready;
    };
    try {
      for (let bytes = await reader.read(); bytes !== undefined; bytes = await reader.read()) {
        const text = decoder.decode(bytes, { stream: true });
        const cut = first ? firstEventEnd(text) : -1;
        if (cut > 0 && cut < text.length) {
          parser.feed(text.slice(0, cut));
          if (batch.length > 0) yield take();
          parser.feed(text.slice(cut));
        } else parser.feed(text);
        if (batch.length > 0) yield take();
        if (failure) throw failure;
        // After [DONE] the body is read to its end (as the SDK does), so the connection is free
        // for the next call as soon as this one returns.
      }
    } catch (error) {
      throw timeoutError(error, call.who) ?? error;
    } finally {
      // A consumer that stops early, or a failure, closes the response: the model would go on generating.
      reader.close();
    }
  }
}
