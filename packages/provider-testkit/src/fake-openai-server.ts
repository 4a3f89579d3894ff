// The fake OpenAI Chat Completions API (and any OpenAI-compatible server): scripted replies rendered
// as the real API sends them (JSON, SSE with `data: [DONE]`), its error bodies and request checks.
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
  ScriptedUsage,
} from "./fake-provider-server.js";
import { validateOpenAIRequest } from "./validate-openai-request.js";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

let counter = 0;
const nextId = (prefix: string) =>
  `${prefix}${(++counter).toString(36).padStart(6, "0")}${Math.random().toString(36).slice(2, 12)}`;
const FINGERPRINT = "fp_fake0openai";

/** An OpenAI error body: `{"error":{"message","type","param","code"}}`. */
export function openAIErrorBody(
  message: string,
  type = "invalid_request_error",
  param: string | null = null,
  code: string | null = null,
): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

const jsonHeaders = () => ({ "content-type": "application/json", "x-request-id": nextId("req_") });

/** The status, headers and body OpenAI sends for each scripted error. */
export function renderOpenAIError(error: ScriptedError, model = "gpt-4o-mini"): WireResponse {
  const reply = (status: number, body: string, extra: Record<string, string> = {}): WireResponse => ({
    status,
    headers: { ...jsonHeaders(), ...extra },
    body,
  });
  switch (error.type) {
    case "rate_limit": {
      const wait = error.retryAfterSeconds;
      return reply(
        429,
        openAIErrorBody(
          `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1.${wait !== undefined ? ` Please try again in ${wait}s.` : ""} Visit https://platform.openai.com/account/rate-limits to learn more.`,
          "requests",
          null,
          "rate_limit_exceeded",
        ),
        wait !== undefined ? { "retry-after": String(wait) } : {},
      );
    }
    case "server":
      if ((error.status ?? 500) === 503) {
        return reply(
          503,
          openAIErrorBody(
            "The server is overloaded or not ready yet.",
            "server_error",
            null,
            "service_unavailable",
          ),
        );
      }
      return reply(
        error.status ?? 500,
        openAIErrorBody(
          "The server had an error while processing your request. Sorry about that!",
          "server_error",
        ),
      );
    case "overloaded":
      return reply(
        503,
        openAIErrorBody("The engine is currently overloaded, please try again later", "server_error"),
      );
    case "context_window":
      return reply(
        400,
        openAIErrorBody(
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
          "invalid_request_error",
          "messages",
          "context_length_exceeded",
        ),
      );
    case "content_policy":
      return reply(
        400,
        openAIErrorBody(
          "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.",
          "invalid_request_error",
          null,
          "content_policy_violation",
        ),
      );
    case "auth":
      return reply(
        401,
        openAIErrorBody(
          "Incorrect API key provided: sk-fake***. You can find your API key at https://platform.openai.com/account/api-keys.",
          "invalid_request_error",
          null,
          "invalid_api_key",
        ),
      );
    case "permission":
      return reply(
        403,
        openAIErrorBody(
          `Project \`proj_fake\` does not have access to model \`${model}\``,
          "invalid_request_error",
          null,
          "model_not_found",
        ),
      );
    case "not_found":
      return reply(
        404,
        openAIErrorBody(
          `The model \`${model}\` does not exist or you do not have access to it.`,
          "invalid_request_error",
          null,
          "model_not_found",
        ),
      );
    case "bad_request":
      return reply(400, openAIErrorBody(error.message ?? "Invalid request", "invalid_request_error"));
  }
}

function usageJson(usage: ScriptedUsage | undefined, fallbackOutput: number): Json {
  // `input` is the uncached input (as Anthropic counts it); OpenAI's prompt_tokens includes cached
  // reads. OpenAI has no cache-write counter, so `cacheWrite` is not rendered.
  const prompt = (usage?.input ?? 10) + (usage?.cacheRead ?? 0);
  const completion = usage?.output ?? fallbackOutput;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage?.cacheRead ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage?.reasoning ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

type ContentReply = Extract<ScriptedReply, { kind: "text" } | { kind: "tool_calls" }>;

function toolCallsJson(reply: ContentReply): Json[] {
  if (reply.kind !== "tool_calls") return [];
  return reply.calls.map((call) => ({
    id: call.id ?? nextId("call_"),
    type: "function",
    function: {
      name: call.name,
      arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
}

const finishReason = (reply: ContentReply) =>
  reply.kind === "tool_calls" ? "tool_calls" : (reply.finishReason ?? "stop");

/** A whole `chat.completion` body for a text or tool-call reply. */
export function renderOpenAICompletion(reply: ContentReply, model: string): WireResponse {
  const calls = toolCallsJson(reply);
  const message: Json = {
    role: "assistant",
    content: reply.text ?? null,
    refusal: null,
    annotations: [],
  };
  if (reply.kind === "text" && reply.reasoning) message.reasoning_content = reply.reasoning;
  if (calls.length > 0) message.tool_calls = calls;
  const body = {
    id: nextId("chatcmpl-"),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(reply) }],
    usage: usageJson(reply.usage, 5),
    service_tier: "default",
    system_fingerprint: FINGERPRINT,
  };
  return { status: 200, headers: jsonHeaders(), body: JSON.stringify(body) };
}

const sseFrame = (data: Json | string) =>
  `data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;

/** The SSE body of a streamed reply: role chunk, content/tool-call deltas, finish chunk, usage chunk, `[DONE]`. */
export function renderOpenAIStream(reply: ContentReply, model: string, includeUsage: boolean): WireResponse {
  const id = nextId("chatcmpl-");
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: Json[], usage: Json | null = null): Json => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    service_tier: "default",
    system_fingerprint: FINGERPRINT,
    choices,
    ...(includeUsage ? { usage } : {}),
  });
  const delta = (d: Json, finish: string | null = null) => ({
    index: 0,
    delta: d,
    logprobs: null,
    finish_reason: finish,
  });
  const events: string[] = [sseFrame(chunk([delta({ role: "assistant", content: "", refusal: null })]))];
  if (reply.kind === "text" && reply.reasoning) {
    for (const piece of splitForStream(reply.reasoning)) {
      events.push(sseFrame(chunk([delta({ reasoning_content: piece })])));
    }
  }
  if (reply.text) {
    for (const piece of splitForStream(reply.text)) events.push(sseFrame(chunk([delta({ content: piece })])));
  }
  toolCallsJson(reply).forEach((call, index) => {
    const fn = call.function as { name: string; arguments: string };
    events.push(
      sseFrame(
        chunk([
          delta({
            tool_calls: [
              { index, id: call.id, type: "function", function: { name: fn.name, arguments: "" } },
            ],
          }),
        ]),
      ),
    );
    if (fn.arguments !== "") {
      for (const piece of splitForStream(fn.arguments, 4)) {
        events.push(sseFrame(chunk([delta({ tool_calls: [{ index, function: { arguments: piece } }] })])));
      }
    }
  });
  events.push(sseFrame(chunk([delta({}, finishReason(reply))])));
  if (includeUsage) events.push(sseFrame(chunk([], usageJson(reply.usage, 5))));
  events.push(sseFrame("[DONE]"));
  return {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "x-request-id": nextId("req_") },
    events,
  };
}

/** HTTP status a recorded error fixture was sent with (the files hold only the body). */
const FIXTURE_STATUS: Record<string, number> = {
  "error-insufficient-quota.json": 429,
  "error-unsupported-parameter.json": 400,
};

/** Serves a recorded fixture: `.json` as a body, `.chunks.txt` as SSE data lines, `.sse` byte for byte. */
export function renderOpenAIFixture(name: string, content: Uint8Array): WireResponse {
  const text = new TextDecoder().decode(content);
  const base = name.split("/").at(-1) ?? name;
  if (name.endsWith(".json")) {
    return { status: FIXTURE_STATUS[base] ?? 200, headers: jsonHeaders(), body: text };
  }
  const sse = { "content-type": "text/event-stream; charset=utf-8" };
  if (name.endsWith(".chunks.txt")) {
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    return { status: 200, headers: sse, events: [...lines.map((l) => `data: ${l}\n\n`), "data: [DONE]\n\n"] };
  }
  const events = text
    .split(/\n\n/)
    .filter((e) => e.trim() !== "")
    .map((e) => `${e}\n\n`);
  return { status: 200, headers: sse, events };
}

function partsText(content: unknown): { text: string; images: number } {
  if (typeof content === "string") return { text: content, images: 0 };
  if (!Array.isArray(content)) return { text: "", images: 0 };
  let text = "";
  let images = 0;
  for (const part of content) {
    if (!isObject(part)) continue;
    if (part.type === "text" && typeof part.text === "string") text += (text ? "\n" : "") + part.text;
    if (part.type === "image_url") images++;
  }
  return { text, images };
}

/** A provider-neutral reading of a Chat Completions request body. */
export function normalizeOpenAIRequest(body: unknown): NormalizedRequest {
  const b = isObject(body) ? body : {};
  const system: string[] = [];
  const messages: NormalizedMessage[] = [];
  for (const m of Array.isArray(b.messages) ? b.messages : []) {
    if (!isObject(m)) continue;
    const { text, images } = partsText(m.content);
    if (m.role === "system" || m.role === "developer") {
      system.push(text);
      continue;
    }
    const toolCalls = (Array.isArray(m.tool_calls) ? m.tool_calls : []).filter(isObject).map((c) => {
      const fn = isObject(c.function) ? c.function : {};
      let args: unknown = fn.arguments;
      try {
        args = JSON.parse(String(fn.arguments));
      } catch {
        // Kept as sent.
      }
      return { id: String(c.id), name: String(fn.name), arguments: args };
    });
    const toolResults =
      m.role === "tool" ? [{ toolCallId: String(m.tool_call_id), text, isError: false }] : [];
    const role = m.role === "assistant" ? "assistant" : m.role === "tool" ? "tool" : "user";
    messages.push({ role, text: m.role === "tool" ? "" : text, images, toolCalls, toolResults });
  }
  const tools = (Array.isArray(b.tools) ? b.tools : [])
    .filter(isObject)
    .map((t) => String(isObject(t.function) ? t.function.name : ""));
  const out: NormalizedRequest = { model: String(b.model ?? ""), system, messages, tools };
  const choice = b.tool_choice;
  if (choice === "auto" || choice === "none" || choice === "required") out.toolChoice = choice;
  else if (isObject(choice) && isObject(choice.function))
    out.toolChoice = { name: String(choice.function.name) };
  const max = b.max_completion_tokens ?? b.max_tokens;
  if (typeof max === "number") out.maxTokens = max;
  if (typeof b.temperature === "number") out.temperature = b.temperature;
  return out;
}

export interface FakeOpenAIOptions {
  /** Where `recorded` replies are read from (default: the testkit's `fixtures/`). */
  fixturesDir?: string;
  /** Model ids listed by `GET /v1/models` (default: a few OpenAI models). */
  models?: string[];
  /** Request bodies above this many bytes get 413 (default 4 MiB). */
  maxBodyBytes?: number;
  /** Top-level request fields accepted besides OpenAI's own (e.g. DashScope's `enable_thinking`). */
  extraParams?: string[];
  /** Reject `reasoning_content` on assistant messages with 400, as DeepSeek's API does. */
  rejectReasoningContentInput?: boolean;
  /** Path prefix the SDK points at (default `/v1`; DashScope uses `/compatible-mode/v1`). */
  pathPrefix?: string;
}

/** The fake OpenAI server; `baseURL` ends in the path prefix (`…/v1`), as the `openai` SDK expects. */
export interface FakeOpenAIServer extends FakeProviderServer {
  readonly provider: "openai";
}

const DEFAULT_MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-4.1-nano", "o4-mini"];

/**
 * Starts a fake OpenAI Chat Completions API on 127.0.0.1 (`POST /v1/chat/completions` JSON and SSE,
 * `GET /v1/models`). Point any OpenAI-compatible client at `server.baseURL`.
 *
 * @example
 * const server = await startFakeOpenAI();
 * server.enqueue({ kind: "text", text: "Hello" });
 * const client = new OpenAI({ apiKey: "test", baseURL: server.baseURL });
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAIServer> {
  const prefix = options.pathPrefix ?? "/v1";
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const models = options.models ?? DEFAULT_MODELS;
  const server = await startFakeProviderHttp({
    provider: "openai",
    fixturesDir: options.fixturesDir ?? defaultFixturesDir(),
    baseURL: (url) => `${url}${prefix}`,
    route({ method, path, headers, body, rawBody }) {
      if (method === "GET" && path === `${prefix}/models`) {
        const data = models.map((id) => ({
          id,
          object: "model",
          created: 1_700_000_000,
          owned_by: "system",
        }));
        return {
          direct: { status: 200, headers: jsonHeaders(), body: JSON.stringify({ object: "list", data }) },
        };
      }
      if (method !== "POST" || path !== `${prefix}/chat/completions`) {
        return {
          direct: {
            status: 404,
            headers: jsonHeaders(),
            body: openAIErrorBody(`Invalid URL (${method} ${path})`, "invalid_request_error"),
          },
        };
      }
      const normalized = normalizeOpenAIRequest(body);
      const stream = isObject(body) && body.stream === true;
      const includeUsage =
        isObject(body) && isObject(body.stream_options) && body.stream_options.include_usage === true;
      const model = normalized.model || "gpt-4o-mini";
      const base = {
        stream,
        normalized,
        render: (reply: RenderableReply) =>
          reply.kind === "error"
            ? renderOpenAIError(reply.error, model)
            : stream
              ? renderOpenAIStream(reply, model, includeUsage)
              : renderOpenAICompletion(reply, model),
        renderFixture: renderOpenAIFixture,
        garbageFrame: 'data: {"id":"chatcmpl-garbage","object":"chat.completion.chunk", garbage\n\n',
      };
      const reject = (
        status: number,
        message: string,
        param: string | null = null,
        code: string | null = null,
      ) => ({
        ...base,
        reject: {
          status,
          headers: jsonHeaders(),
          body: openAIErrorBody(message, "invalid_request_error", param, code),
        },
      });
      if (Buffer.byteLength(rawBody) > maxBody) {
        return reject(
          413,
          `Request too large: the body is larger than ${maxBody} bytes.`,
          null,
          "request_too_large",
        );
      }
      const auth = headers.authorization ?? headers["api-key"];
      if (!auth || auth === "Bearer" || auth === "Bearer ") {
        return {
          ...base,
          reject: {
            status: 401,
            headers: jsonHeaders(),
            body: openAIErrorBody(
              "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
              "invalid_request_error",
            ),
          },
        };
      }
      if (!isObject(body)) {
        return reject(
          400,
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
        );
      }
      const problem = validateOpenAIRequest(body, {
        extraParams: options.extraParams,
        rejectReasoningContentInput: options.rejectReasoningContentInput,
      });
      if (problem) return reject(400, problem.message, problem.param, problem.code);
      return base;
    },
  });
  const enqueue = server.enqueue.bind(server);
  return Object.assign(server, {
    provider: "openai" as const,
    // Fixtures of other OpenAI-compatible providers are named `deepseek/…`; the base reads `openai/…`.
    enqueue: (...replies: ScriptedReply[]) =>
      enqueue(
        ...replies.map((r) =>
          r.kind === "recorded" && r.fixture.includes("/") ? { ...r, fixture: `../${r.fixture}` } : r,
        ),
      ),
  });
}
