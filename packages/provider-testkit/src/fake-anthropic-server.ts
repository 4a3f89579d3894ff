// The fake Anthropic Messages API: renders scripted replies in the real wire format (JSON, SSE), checks requests like the real API.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type {
  FakeProviderKind,
  FakeProviderServer,
  NormalizedMessage,
  NormalizedRequest,
  RecordedRequest,
  ScriptedError,
  ScriptedReply,
  ScriptedUsage,
} from "./fake-provider-server.js";
import { fakeThinkingSignature, validateAnthropicRequest } from "./validate-anthropic-request.js";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** An HTTP response the fake sends: a whole body, or a list of stream frames. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  events?: Array<string | Uint8Array>;
}

let counter = 0;
const nextId = (prefix: string) =>
  `${prefix}_fake${(++counter).toString().padStart(6, "0")}${Math.random().toString(36).slice(2, 8)}`;

/** Splits text into a few pieces, as a model streams it. */
export function splitForStream(text: string, pieces = 3): string[] {
  if (text.length <= 1) return [text];
  const size = Math.ceil(text.length / pieces);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function anthropicErrorBody(type: string, message: string): string {
  return JSON.stringify({ type: "error", error: { type, message }, request_id: nextId("req") });
}

export function renderAnthropicError(error: ScriptedError): WireResponse {
  const json = { "content-type": "application/json", "request-id": nextId("req") };
  switch (error.type) {
    case "rate_limit":
      return {
        status: 429,
        headers: {
          ...json,
          ...(error.retryAfterSeconds !== undefined
            ? { "retry-after": String(error.retryAfterSeconds) }
            : {}),
        },
        body: anthropicErrorBody(
          "rate_limit_error",
          "Number of request tokens has exceeded your per-minute rate limit. Please try again later.",
        ),
      };
    case "overloaded":
      return { status: 529, headers: json, body: anthropicErrorBody("overloaded_error", "Overloaded") };
    case "server":
      return {
        status: error.status ?? 500,
        headers: json,
        body: anthropicErrorBody("api_error", "Internal server error"),
      };
    case "context_window":
      return {
        status: 400,
        headers: json,
        body: anthropicErrorBody(
          "invalid_request_error",
          "prompt is too long: 215021 tokens > 200000 maximum",
        ),
      };
    case "content_policy":
      return {
        status: 400,
        headers: json,
        body: anthropicErrorBody("invalid_request_error", "Output blocked by content filtering policy"),
      };
    case "auth":
      return {
        status: 401,
        headers: json,
        body: anthropicErrorBody("authentication_error", "invalid x-api-key"),
      };
    case "permission":
      return {
        status: 403,
        headers: json,
        body: anthropicErrorBody(
          "permission_error",
          "Your API key does not have permission to use the specified resource.",
        ),
      };
    case "not_found":
      return {
        status: 404,
        headers: json,
        body: anthropicErrorBody("not_found_error", "model: the requested model was not found"),
      };
    case "bad_request":
      return {
        status: 400,
        headers: json,
        body: anthropicErrorBody("invalid_request_error", error.message ?? "Invalid request"),
      };
  }
}

function usageJson(usage: ScriptedUsage | undefined, fallbackOutput: number): Json {
  return {
    input_tokens: usage?.input ?? 10,
    cache_creation_input_tokens: usage?.cacheWrite ?? 0,
    cache_read_input_tokens: usage?.cacheRead ?? 0,
    output_tokens: usage?.output ?? fallbackOutput,
    // Reasoning tokens are part of output_tokens; the API details them here.
    ...(usage?.reasoning ? { output_tokens_details: { thinking_tokens: usage.reasoning } } : {}),
    service_tier: "standard",
  };
}

type ContentReply = Extract<ScriptedReply, { kind: "text" } | { kind: "tool_calls" }>;

function contentBlocks(reply: ContentReply): Json[] {
  const blocks: Json[] = [];
  if (reply.reasoning)
    blocks.push({
      type: "thinking",
      thinking: reply.reasoning,
      signature: fakeThinkingSignature(reply.reasoning),
    });
  if (reply.redactedReasoning) blocks.push({ type: "redacted_thinking", data: reply.redactedReasoning });
  if (reply.kind === "text") {
    blocks.push({ type: "text", text: reply.text });
    return blocks;
  }
  if (reply.text) blocks.push({ type: "text", text: reply.text });
  for (const call of reply.calls) {
    blocks.push({ type: "tool_use", id: call.id ?? nextId("toolu"), name: call.name, input: call.arguments });
  }
  return blocks;
}

function stopReason(reply: ContentReply): string {
  if (reply.kind === "tool_calls") return "tool_use";
  if (reply.finishReason === "length") return "max_tokens";
  if (reply.finishReason === "content_filter") return "refusal";
  return "end_turn";
}

/** A whole Messages API response for a text or tool-call reply. */
export function renderAnthropicMessage(reply: ContentReply, model: string): WireResponse {
  const blocks = contentBlocks(reply).map((b) =>
    // A whole response always carries an object input; raw (malformed) text cannot be expressed.
    b.type === "tool_use" && typeof b.input === "string" ? { ...b, input: { _raw: b.input } } : b,
  );
  const body = {
    id: nextId("msg"),
    type: "message",
    role: "assistant",
    model,
    content: blocks,
    stop_reason: stopReason(reply),
    stop_sequence: null,
    usage: usageJson(reply.usage, 5),
  };
  return {
    status: 200,
    headers: { "content-type": "application/json", "request-id": nextId("req") },
    body: JSON.stringify(body),
  };
}

export function sseEvent(data: Json | string): string {
  const json = typeof data === "string" ? data : JSON.stringify(data);
  let type = "message";
  try {
    const parsed = JSON.parse(json) as Json;
    if (typeof parsed.type === "string") type = parsed.type;
  } catch {
    // Garbage on purpose: keep the frame, name it after nothing.
  }
  return `event: ${type}\ndata: ${json}\n\n`;
}

/** The SSE events of a streamed Messages API response. */
export function renderAnthropicStream(reply: ContentReply, model: string): WireResponse {
  const events: Json[] = [];
  const usage = usageJson(reply.usage, 5);
  events.push({
    type: "message_start",
    message: {
      id: nextId("msg"),
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1 },
    },
  });
  contentBlocks(reply).forEach((block, index) => {
    if (block.type === "text") {
      events.push({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
      events.push({ type: "ping" });
      for (const piece of splitForStream(String(block.text))) {
        events.push({ type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
      }
    } else if (block.type === "thinking") {
      events.push({
        type: "content_block_start",
        index,
        content_block: { type: "thinking", thinking: "", signature: "" },
      });
      for (const piece of splitForStream(String(block.thinking))) {
        events.push({
          type: "content_block_delta",
          index,
          delta: { type: "thinking_delta", thinking: piece },
        });
      }
      events.push({
        type: "content_block_delta",
        index,
        delta: { type: "signature_delta", signature: block.signature },
      });
    } else if (block.type === "redacted_thinking") {
      // An encrypted block arrives whole: its start event carries the data, no deltas follow.
      events.push({ type: "content_block_start", index, content_block: block });
    } else if (block.type === "tool_use") {
      events.push({
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
      });
      const args = typeof block.input === "string" ? block.input : JSON.stringify(block.input);
      // The API opens with an empty fragment, and sends none at all for a tool without arguments.
      events.push({
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: "" },
      });
      if (args !== "{}") {
        for (const piece of splitForStream(args)) {
          events.push({
            type: "content_block_delta",
            index,
            delta: { type: "input_json_delta", partial_json: piece },
          });
        }
      }
    }
    events.push({ type: "content_block_stop", index });
  });
  events.push({
    type: "message_delta",
    delta: { stop_reason: stopReason(reply), stop_sequence: null },
    usage: {
      output_tokens: usage.output_tokens,
      ...(usage.output_tokens_details ? { output_tokens_details: usage.output_tokens_details } : {}),
    },
  });
  events.push({ type: "message_stop" });
  return {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "request-id": nextId("req"),
    },
    events: events.map((e) => sseEvent(e)),
  };
}

/** A recorded fixture rendered as the API sent it: `.json` whole, `.chunks.txt` as SSE, `.sse` verbatim. */
export function renderAnthropicFixture(name: string, content: Uint8Array | string): WireResponse {
  const text = typeof content === "string" ? content : Buffer.from(content).toString("utf8");
  if (name.endsWith(".json")) {
    return { status: 200, headers: { "content-type": "application/json" }, body: text };
  }
  if (name.endsWith(".sse")) {
    const frames = text
      .split(/\n\n/)
      .filter((f) => f.trim() !== "")
      .map((f) => `${f}\n\n`);
    return { status: 200, headers: { "content-type": "text/event-stream; charset=utf-8" }, events: frames };
  }
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8" },
    events: lines.map((l) => sseEvent(l)),
  };
}

function textOf(content: unknown): { text: string; images: number } {
  if (typeof content === "string") return { text: content, images: 0 };
  let text = "";
  let images = 0;
  if (Array.isArray(content)) {
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === "text" && typeof block.text === "string") text += block.text;
      if (block.type === "image") images++;
    }
  }
  return { text, images };
}

/** A provider-neutral reading of a Messages API request (for assertions in tests). */
export function normalizeAnthropicRequest(body: unknown): NormalizedRequest {
  const b = isObject(body) ? body : {};
  const system =
    typeof b.system === "string"
      ? [b.system]
      : Array.isArray(b.system)
        ? b.system.filter(isObject).map((s) => String(s.text ?? ""))
        : [];
  const messages: NormalizedMessage[] = [];
  for (const m of Array.isArray(b.messages) ? b.messages : []) {
    if (!isObject(m)) continue;
    const { text, images } = textOf(m.content);
    const blocks = Array.isArray(m.content) ? m.content.filter(isObject) : [];
    const toolCalls = blocks
      .filter((x) => x.type === "tool_use")
      .map((x) => ({ id: String(x.id), name: String(x.name), arguments: x.input }));
    const toolResults = blocks
      .filter((x) => x.type === "tool_result")
      .map((x) => ({
        toolCallId: String(x.tool_use_id),
        text: textOf(x.content).text,
        isError: x.is_error === true,
      }));
    const role =
      m.role === "assistant" ? "assistant" : toolResults.length > 0 && text === "" ? "tool" : "user";
    messages.push({ role, text, images, toolCalls, toolResults });
  }
  const tools = Array.isArray(b.tools) ? b.tools.filter(isObject).map((t) => String(t.name)) : [];
  const choice = isObject(b.tool_choice) ? b.tool_choice : undefined;
  const toolChoice: NormalizedRequest["toolChoice"] =
    choice?.type === "auto"
      ? "auto"
      : choice?.type === "any"
        ? "required"
        : choice?.type === "none"
          ? "none"
          : choice?.type === "tool"
            ? { name: String(choice.name) }
            : undefined;
  const out: NormalizedRequest = { model: String(b.model ?? ""), system, messages, tools };
  if (toolChoice) out.toolChoice = toolChoice;
  if (typeof b.max_tokens === "number") out.maxTokens = b.max_tokens;
  if (typeof b.temperature === "number") out.temperature = b.temperature;
  return out;
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing shared by the Anthropic, Ollama and Bedrock fakes (loopback only).

/** What a fake makes of one request: an immediate answer, or a request to answer from the script. */
export type FakeRoute =
  | { direct: WireResponse; normalized?: NormalizedRequest; stream?: boolean }
  | {
      stream: boolean;
      normalized: NormalizedRequest;
      /** Set when the request is invalid: answered at once, the script is not consumed. */
      reject?: WireResponse;
      render(reply: RenderableReply): WireResponse;
      renderFixture(name: string, content: Uint8Array): WireResponse;
      /** A frame that is not valid for this wire format (for the `invalid_json` fault in streams). */
      garbageFrame: string | Uint8Array;
    };

export type RenderableReply = Extract<
  ScriptedReply,
  { kind: "text" } | { kind: "tool_calls" } | { kind: "error" }
>;

export interface FakeHttpOptions {
  provider: FakeProviderKind;
  /** Where the SDK should point, from the server's `http://127.0.0.1:PORT`. */
  baseURL(url: string): string;
  route(request: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body: unknown;
    rawBody: string;
  }): FakeRoute;
  fixturesDir: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a loopback HTTP server that scripts replies through `options.route`. */
export async function startFakeProviderHttp(options: FakeHttpOptions): Promise<FakeProviderServer> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void answer(req, res, Buffer.concat(chunks).toString("utf8")).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function send(
    res: ServerResponse,
    wire: WireResponse,
    chunkDelayMs = 0,
    cutAfter?: number,
  ): Promise<void> {
    res.writeHead(wire.status, wire.headers);
    if (wire.events) {
      res.flushHeaders();
      const events = cutAfter === undefined ? wire.events : wire.events.slice(0, cutAfter);
      for (let i = 0; i < events.length; i++) {
        if (i > 0 && chunkDelayMs > 0) await sleep(chunkDelayMs);
        if (res.destroyed) return;
        res.write(events[i]);
      }
      res.end();
      return;
    }
    let body = wire.body ?? "";
    if (cutAfter !== undefined)
      body =
        typeof body === "string"
          ? body.slice(0, Math.floor(body.length / 2))
          : body.slice(0, Math.floor(body.length / 2));
    res.end(body);
  }

  async function answer(req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    let body: unknown = rawBody;
    try {
      body = rawBody === "" ? undefined : JSON.parse(rawBody);
    } catch {
      // Left as text: the route answers with the provider's malformed-body error.
    }
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = options.route({ method: req.method ?? "GET", path, headers, body, rawBody });
    const empty: NormalizedRequest = { model: "", system: [], messages: [], tools: [] };
    requests.push({
      method: req.method ?? "GET",
      path,
      headers,
      body,
      stream: route.stream ?? false,
      normalized: route.normalized ?? empty,
    });
    if ("direct" in route) return send(res, route.direct);
    if (route.reject) return send(res, route.reject);
    const reply: ScriptedReply = queue.shift() ?? { kind: "text", text: "ok" };
    if (reply.delayMs) await sleep(reply.delayMs);
    if (res.destroyed) return;
    const chunkDelayMs = reply.chunkDelayMs ?? 0;
    switch (reply.kind) {
      case "fault":
        switch (reply.fault) {
          case "reset":
            req.socket.destroy();
            return;
          case "empty_body":
            res
              .writeHead(200, { "content-type": route.stream ? "text/event-stream" : "application/json" })
              .end();
            return;
          case "invalid_json": {
            const ok = route.render({ kind: "text", text: "ok" });
            if (route.stream) return send(res, { ...ok, events: [route.garbageFrame] });
            return send(res, {
              status: 200,
              headers: { "content-type": "application/json" },
              body: '{"id": "oops", this is not json',
            });
          }
          case "cut_stream":
            return send(
              res,
              route.render({ kind: "text", text: "This answer is cut short by the network." }),
              chunkDelayMs,
              reply.afterEvents ?? 2,
            );
        }
        return;
      case "recorded": {
        const file = join(options.fixturesDir, options.provider, reply.fixture);
        return send(
          res,
          route.renderFixture(reply.fixture, new Uint8Array(await readFile(file))),
          chunkDelayMs,
        );
      }
      default:
        return send(res, route.render(reply), chunkDelayMs);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    provider: options.provider,
    url,
    baseURL: options.baseURL(url),
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The testkit's recorded fixtures (`fixtures/<provider>/`), next to `src/` and `dist/`. */
export function defaultFixturesDir(): string {
  if (typeof __dirname === "string") return join(__dirname, "..", "fixtures");
  return fileURLToPath(new URL("../fixtures/", import.meta.url));
}

export interface FakeAnthropicOptions {
  /** Where `recorded` replies are read from (default: the testkit's `fixtures/`). */
  fixturesDir?: string;
}

/**
 * Starts a fake Anthropic Messages API on 127.0.0.1 (`POST /v1/messages`, JSON and SSE). Point the
 * SDK at `server.baseURL`. Requests the real API would reject get its 400 `invalid_request_error`.
 *
 * @example
 * const server = await startFakeAnthropic();
 * server.enqueue({ kind: "tool_calls", calls: [{ name: "get_weather", arguments: { city: "Paris" } }] });
 * const model = createAnthropic({ apiKey: "test", baseURL: server.baseURL })("claude-sonnet-4-0");
 */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicServer> {
  const streamErrors: Array<{ type: string; message: string; afterEvents: number }> = [];
  const server = await startFakeProviderHttp({
    provider: "anthropic",
    fixturesDir: options.fixturesDir ?? defaultFixturesDir(),
    baseURL: (url) => url,
    route({ method, path, headers, body }) {
      const json = { "content-type": "application/json" };
      if (method !== "POST" || path !== "/v1/messages") {
        return {
          direct: {
            status: 404,
            headers: json,
            body: anthropicErrorBody("not_found_error", `Not found: ${method} ${path}`),
          },
        };
      }
      const normalized = normalizeAnthropicRequest(body);
      const stream = typeof body === "object" && body !== null && (body as Json).stream === true;
      const model = normalized.model;
      const base = {
        stream,
        normalized,
        render: (reply: RenderableReply) =>
          reply.kind === "error"
            ? renderAnthropicError(reply.error)
            : stream
              ? renderAnthropicStream(reply, model)
              : renderAnthropicMessage(reply, model),
        renderFixture: renderAnthropicFixture,
        garbageFrame: 'event: message_start\ndata: {"type": "message_start", garbage\n\n',
      };
      const reject = (type: string, status: number, message: string) => ({
        ...base,
        reject: { status, headers: json, body: anthropicErrorBody(type, message) },
      });
      if (!headers["x-api-key"] && !headers.authorization)
        return reject("authentication_error", 401, "x-api-key header is required");
      if (!headers["anthropic-version"])
        return reject("invalid_request_error", 400, "anthropic-version: header is required");
      if (typeof body !== "object" || body === null)
        return reject("invalid_request_error", 400, "There was an error parsing the body of your request");
      const problem = validateAnthropicRequest(body);
      if (problem) return reject("invalid_request_error", 400, problem);
      const streamError = stream ? streamErrors.shift() : undefined;
      if (streamError) {
        // The API can fail after a 200 stream has started: an `event: error` frame, then nothing.
        const events =
          renderAnthropicStream({ kind: "text", text: "Partial answer before the failure." }, model).events ??
          [];
        const error = `event: error\ndata: ${anthropicErrorBody(streamError.type, streamError.message)}\n\n`;
        return {
          ...base,
          reject: {
            status: 200,
            headers: { "content-type": "text/event-stream; charset=utf-8" },
            events: [...events.slice(0, streamError.afterEvents), error],
          },
        };
      }
      return base;
    },
  });
  return Object.assign(server, {
    enqueueStreamError(type: string, message: string, afterEvents = 3) {
      streamErrors.push({ type, message, afterEvents });
    },
  });
}

/** The fake Anthropic server, plus errors sent inside a started stream. */
export interface FakeAnthropicServer extends FakeProviderServer {
  /** The next streaming request starts normally, then gets `event: error` of this type (e.g. `overloaded_error`). */
  enqueueStreamError(type: string, message: string, afterEvents?: number): void;
}
