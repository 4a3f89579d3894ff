// The fake Ollama server (/api/chat, /api/tags): renders scripted replies as Ollama does (whole
// tool calls without ids, arguments as objects, NDJSON streams), checks requests like the server.
import {
  defaultFixturesDir,
  type RenderableReply,
  splitForStream,
  startFakeProviderHttp,
  type WireResponse,
} from "./fake-anthropic-server.js";
import type {
  FakeProviderServer,
  NormalizedMessage,
  NormalizedRequest,
  ScriptedError,
  ScriptedReply,
} from "./fake-provider-server.js";
import { validateOllamaRequest } from "./validate-ollama-request.js";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
type ContentReply = Extract<ScriptedReply, { kind: "text" } | { kind: "tool_calls" }>;

const json = { "content-type": "application/json; charset=utf-8" };
const errorBody = (message: string) => JSON.stringify({ error: message });

export function renderOllamaError(error: ScriptedError, model: string): WireResponse {
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
        body: errorBody("too many requests, please try again later"),
      };
    case "overloaded":
      return {
        status: 503,
        headers: json,
        body: errorBody("server busy, please try again.  maximum pending requests exceeded"),
      };
    case "server":
      return {
        status: error.status ?? 500,
        headers: json,
        body: errorBody("llama runner process has terminated: exit status 2"),
      };
    case "context_window":
      return { status: 400, headers: json, body: errorBody("input length exceeds the context length") };
    case "content_policy":
      return {
        status: 400,
        headers: json,
        body: errorBody("the request was blocked by the content_policy of the model"),
      };
    case "auth":
      return { status: 401, headers: json, body: errorBody("unauthorized") };
    case "permission":
      return { status: 403, headers: json, body: errorBody("forbidden") };
    case "not_found":
      return {
        status: 404,
        headers: json,
        body: errorBody(`model "${model}" not found, try pulling it first`),
      };
    case "bad_request":
      return { status: 400, headers: json, body: errorBody(error.message ?? "invalid request") };
  }
}

function timing(reply: ContentReply): Json {
  return {
    total_duration: 182242375,
    load_duration: 41295167,
    prompt_eval_count: reply.usage?.input ?? 10,
    prompt_eval_duration: 24573166,
    eval_count: reply.usage?.output ?? 5,
    eval_duration: 115959084,
  };
}

function toolCalls(reply: ContentReply): Json[] | undefined {
  if (reply.kind !== "tool_calls") return undefined;
  return reply.calls.map((call) => ({ function: { name: call.name, arguments: call.arguments } }));
}

const doneReason = (reply: ContentReply) =>
  reply.kind === "text" && reply.finishReason === "length" ? "length" : "stop";

/** A whole /api/chat response. */
export function renderOllamaChat(reply: ContentReply, model: string): WireResponse {
  const message: Json = {
    role: "assistant",
    content: reply.kind === "text" ? reply.text : (reply.text ?? ""),
  };
  if (reply.kind === "text" && reply.reasoning) message.thinking = reply.reasoning;
  const calls = toolCalls(reply);
  if (calls) message.tool_calls = calls;
  const body = {
    model,
    created_at: new Date().toISOString(),
    message,
    done_reason: doneReason(reply),
    done: true,
    ...timing(reply),
  };
  return { status: 200, headers: json, body: JSON.stringify(body) };
}

/** The NDJSON lines of a streamed /api/chat response. */
export function renderOllamaStream(reply: ContentReply, model: string): WireResponse {
  const lines: Json[] = [];
  const line = (message: Json, extra: Json = {}) => ({
    model,
    created_at: new Date().toISOString(),
    message: { role: "assistant", ...message },
    done: false,
    ...extra,
  });
  if (reply.kind === "text" && reply.reasoning) {
    for (const piece of splitForStream(reply.reasoning)) lines.push(line({ content: "", thinking: piece }));
  }
  const text = reply.kind === "text" ? reply.text : (reply.text ?? "");
  if (text) for (const piece of splitForStream(text)) lines.push(line({ content: piece }));
  const calls = toolCalls(reply);
  // Ollama sends each tool call whole, in one line.
  if (calls) lines.push(line({ content: "", tool_calls: calls }));
  lines.push(line({ content: "" }, { done: true, done_reason: doneReason(reply), ...timing(reply) }));
  return {
    status: 200,
    headers: { "content-type": "application/x-ndjson" },
    events: lines.map((l) => `${JSON.stringify(l)}\n`),
  };
}

/** A recorded fixture as Ollama sent it: `.json` whole, `.ndjson` line by line. */
export function renderOllamaFixture(name: string, content: Uint8Array | string): WireResponse {
  const text = typeof content === "string" ? content : Buffer.from(content).toString("utf8");
  if (name.endsWith(".json")) return { status: 200, headers: json, body: text };
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return {
    status: 200,
    headers: { "content-type": "application/x-ndjson" },
    events: lines.map((l) => `${l}\n`),
  };
}

/** A provider-neutral reading of an /api/chat request. */
export function normalizeOllamaRequest(body: unknown): NormalizedRequest {
  const b = isObject(body) ? body : {};
  const system: string[] = [];
  const messages: NormalizedMessage[] = [];
  let lastCalls: Array<{ id: string; name: string }> = [];
  let resultIndex = 0;
  for (const m of Array.isArray(b.messages) ? b.messages : []) {
    if (!isObject(m)) continue;
    const text = typeof m.content === "string" ? m.content : "";
    if (m.role === "system") {
      system.push(text);
      continue;
    }
    const images = Array.isArray(m.images) ? m.images.length : 0;
    if (m.role === "tool") {
      // Ollama tool results carry the tool's name, not an id: match them to the calls in order.
      const call = lastCalls[resultIndex++];
      messages.push({
        role: "tool",
        text,
        images,
        toolCalls: [],
        toolResults: [
          {
            // Newer Ollama servers take `tool_call_id`; older ones only `tool_name` (then: call order).
            toolCallId:
              typeof m.tool_call_id === "string" ? m.tool_call_id : (call?.id ?? String(m.tool_name ?? "")),
            text,
            isError: /^Error:/.test(text),
          },
        ],
      });
      continue;
    }
    const toolCalls = (Array.isArray(m.tool_calls) ? m.tool_calls : []).filter(isObject).map((c, i) => {
      const fn = isObject(c.function) ? c.function : {};
      return {
        id: String(c.id ?? `${String(fn.name)}#${i}`),
        name: String(fn.name ?? ""),
        arguments: fn.arguments,
      };
    });
    if (m.role === "assistant") {
      lastCalls = toolCalls;
      resultIndex = 0;
    }
    messages.push({
      role: m.role === "assistant" ? "assistant" : "user",
      text,
      images,
      toolCalls,
      toolResults: [],
    });
  }
  const tools = (Array.isArray(b.tools) ? b.tools : [])
    .filter(isObject)
    .map((t) => String(isObject(t.function) ? t.function.name : ""));
  const options = isObject(b.options) ? b.options : {};
  const out: NormalizedRequest = { model: String(b.model ?? ""), system, messages, tools };
  if (typeof options.num_predict === "number") out.maxTokens = options.num_predict;
  if (typeof options.temperature === "number") out.temperature = options.temperature;
  return out;
}

export interface FakeOllamaOptions {
  /** Models the fake has "pulled" (listed by /api/tags; others get Ollama's 404). Default: any model. */
  models?: string[];
  fixturesDir?: string;
}

/**
 * Starts a fake Ollama server on 127.0.0.1 (`POST /api/chat` JSON and NDJSON, `GET /api/tags`).
 * Pass `server.baseURL` as the Ollama host.
 *
 * @example
 * const server = await startFakeOllama({ models: ["llama3.2:latest"] });
 * const model = createOllama({ host: server.baseURL })("llama3.2");
 */
export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeProviderServer> {
  const models = options.models;
  const known = (name: string) =>
    !models || models.some((m) => m === name || m === `${name}:latest` || m.replace(/:latest$/, "") === name);
  return startFakeProviderHttp({
    provider: "ollama",
    fixturesDir: options.fixturesDir ?? defaultFixturesDir(),
    baseURL: (url) => url,
    route({ method, path, body }) {
      if (method === "GET" && (path === "/" || path === "")) {
        return {
          direct: { status: 200, headers: { "content-type": "text/plain" }, body: "Ollama is running" },
        };
      }
      if (method === "GET" && path === "/api/tags") {
        const list = (models ?? ["llama3.2:latest"]).map((name) => ({
          name,
          model: name,
          modified_at: "2025-07-07T20:22:19.184789Z",
          size: 2019393189,
          digest: "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
          details: {
            parent_model: "",
            format: "gguf",
            family: "llama",
            families: ["llama"],
            parameter_size: "3.2B",
            quantization_level: "Q4_K_M",
          },
        }));
        return { direct: { status: 200, headers: json, body: JSON.stringify({ models: list }) } };
      }
      if (method !== "POST" || path !== "/api/chat") {
        return {
          direct: { status: 404, headers: { "content-type": "text/plain" }, body: "404 page not found" },
        };
      }
      const normalized = normalizeOllamaRequest(body);
      // Ollama streams unless told not to.
      const stream = !(typeof body === "object" && body !== null && (body as Json).stream === false);
      const model = normalized.model;
      const base = {
        stream,
        normalized,
        render: (reply: RenderableReply) =>
          reply.kind === "error"
            ? renderOllamaError(reply.error, model)
            : stream
              ? renderOllamaStream(reply, model)
              : renderOllamaChat(reply, model),
        renderFixture: renderOllamaFixture,
        garbageFrame: '{"model":"x","message":{"role":"assistant","content":"tr\n',
      };
      if (typeof body !== "object" || body === null) {
        return {
          ...base,
          reject: { status: 400, headers: json, body: errorBody("invalid character in request body") },
        };
      }
      const problem = validateOllamaRequest(body);
      if (problem) return { ...base, reject: { status: 400, headers: json, body: errorBody(problem) } };
      if (!known(model)) return { ...base, reject: renderOllamaError({ type: "not_found" }, model) };
      return base;
    },
  });
}
