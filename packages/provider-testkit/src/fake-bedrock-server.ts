// The fake Bedrock runtime (Converse, ConverseStream): renders scripted replies as Bedrock does
// (JSON, AWS event-stream binary frames), errors with `x-amzn-errortype`, checks requests.
import { EventStreamCodec, type MessageHeaders } from "@smithy/eventstream-codec";
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
import { fakeThinkingSignature } from "./validate-anthropic-request.js";
import { validateBedrockRequest } from "./validate-bedrock-request.js";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
type ContentReply = Extract<ScriptedReply, { kind: "text" } | { kind: "tool_calls" }>;

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString("utf8"),
  (text) => new Uint8Array(Buffer.from(text, "utf8")),
);

let counter = 0;
const requestId = () =>
  `fake-${(++counter).toString(16).padStart(8, "0")}-${Math.random().toString(16).slice(2, 10)}`;
const toolUseId = () => `tooluse_fake${(++counter).toString(36)}${Math.random().toString(36).slice(2, 10)}`;

/** Exceptions Bedrock sends (`x-amzn-errortype`), with their HTTP status. */
export const BEDROCK_EXCEPTIONS = {
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  ServiceQuotaExceededException: 400,
  ValidationException: 400,
  AccessDeniedException: 403,
  UnrecognizedClientException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
} as const;

export type BedrockExceptionName = keyof typeof BEDROCK_EXCEPTIONS;

/** An error response exactly as Bedrock sends it. */
export function renderBedrockException(
  name: BedrockExceptionName,
  message: string,
  headers: Record<string, string> = {},
): WireResponse {
  return {
    status: BEDROCK_EXCEPTIONS[name],
    headers: {
      "content-type": "application/json",
      "x-amzn-requestid": requestId(),
      "x-amzn-errortype": `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      ...headers,
    },
    body: JSON.stringify({ message }),
  };
}

export function renderBedrockError(error: ScriptedError): WireResponse {
  switch (error.type) {
    case "rate_limit":
      return renderBedrockException(
        "ThrottlingException",
        "Too many requests, please wait before trying again.",
        error.retryAfterSeconds !== undefined ? { "retry-after": String(error.retryAfterSeconds) } : {},
      );
    case "overloaded":
      return renderBedrockException(
        "ServiceUnavailableException",
        "Bedrock is unable to process your request.",
      );
    case "server":
      return error.status === 503
        ? renderBedrockException("ServiceUnavailableException", "Bedrock is unable to process your request.")
        : {
            ...renderBedrockException("InternalServerException", "The server encountered an internal error."),
            status: error.status ?? 500,
          };
    case "context_window":
      return renderBedrockException("ValidationException", "Input is too long for requested model.");
    case "content_policy":
      return renderBedrockException(
        "ValidationException",
        "The request was blocked by the content filters of the model.",
      );
    case "auth":
      return renderBedrockException(
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
      );
    case "permission":
      return renderBedrockException(
        "AccessDeniedException",
        "You don't have access to the model with the specified model ID.",
      );
    case "not_found":
      return renderBedrockException(
        "ResourceNotFoundException",
        "Could not resolve the foundation model from the provided model identifier.",
      );
    case "bad_request":
      return renderBedrockException(
        "ValidationException",
        error.message ?? "Malformed input request, please reformat your input and try again.",
      );
  }
}

/** One AWS event-stream frame carrying a ConverseStream event. */
export function bedrockEventFrame(eventType: string, payload: unknown): Uint8Array {
  const headers: MessageHeaders = {
    ":event-type": { type: "string", value: eventType },
    ":content-type": { type: "string", value: "application/json" },
    ":message-type": { type: "string", value: "event" },
  };
  return codec.encode({ headers, body: new Uint8Array(Buffer.from(JSON.stringify(payload), "utf8")) });
}

/** An exception frame inside a ConverseStream (e.g. `throttlingException` mid-stream). */
export function bedrockExceptionFrame(name: BedrockExceptionName, message: string): Uint8Array {
  const headers: MessageHeaders = {
    ":exception-type": { type: "string", value: name.charAt(0).toLowerCase() + name.slice(1) },
    ":content-type": { type: "string", value: "application/json" },
    ":message-type": { type: "string", value: "exception" },
  };
  return codec.encode({ headers, body: new Uint8Array(Buffer.from(JSON.stringify({ message }), "utf8")) });
}

function usage(reply: ContentReply): Json {
  const input = reply.usage?.input ?? 10;
  const output = reply.usage?.output ?? 5;
  const read = reply.usage?.cacheRead ?? 0;
  const write = reply.usage?.cacheWrite ?? 0;
  const out: Json = { inputTokens: input, outputTokens: output, totalTokens: input + output + read + write };
  if (read || write) {
    out.cacheReadInputTokens = read;
    out.cacheWriteInputTokens = write;
  }
  return out;
}

function stopReason(reply: ContentReply): string {
  if (reply.kind === "tool_calls") return "tool_use";
  if (reply.finishReason === "length") return "max_tokens";
  if (reply.finishReason === "content_filter") return "content_filtered";
  return "end_turn";
}

function blocks(reply: ContentReply): Json[] {
  const out: Json[] = [];
  if (reply.reasoning)
    out.push({
      reasoningContent: {
        reasoningText: { text: reply.reasoning, signature: fakeThinkingSignature(reply.reasoning) },
      },
    });
  // Converse's JSON carries blobs as base64.
  if (reply.redactedReasoning) out.push({ reasoningContent: { redactedContent: reply.redactedReasoning } });
  if (reply.kind === "text") {
    out.push({ text: reply.text });
    return out;
  }
  if (reply.text) out.push({ text: reply.text });
  for (const call of reply.calls) {
    out.push({ toolUse: { toolUseId: call.id ?? toolUseId(), name: call.name, input: call.arguments } });
  }
  return out;
}

/** A whole Converse response. */
export function renderBedrockConverse(reply: ContentReply): WireResponse {
  const body = {
    metrics: { latencyMs: 120 },
    output: { message: { role: "assistant", content: blocks(reply) } },
    stopReason: stopReason(reply),
    usage: usage(reply),
  };
  return {
    status: 200,
    headers: { "content-type": "application/json", "x-amzn-requestid": requestId() },
    body: JSON.stringify(body),
  };
}

/** The binary event-stream frames of a ConverseStream response. */
export function renderBedrockStream(reply: ContentReply): WireResponse {
  const frames: Uint8Array[] = [bedrockEventFrame("messageStart", { role: "assistant" })];
  blocks(reply).forEach((block, contentBlockIndex) => {
    if (typeof block.text === "string") {
      for (const text of splitForStream(block.text))
        frames.push(bedrockEventFrame("contentBlockDelta", { contentBlockIndex, delta: { text } }));
    } else if (isObject(block.reasoningContent) && block.reasoningContent.redactedContent !== undefined) {
      frames.push(
        bedrockEventFrame("contentBlockDelta", {
          contentBlockIndex,
          delta: { reasoningContent: { redactedContent: block.reasoningContent.redactedContent } },
        }),
      );
    } else if (isObject(block.reasoningContent)) {
      const { text, signature } = block.reasoningContent.reasoningText as Json;
      for (const piece of splitForStream(String(text))) {
        frames.push(
          bedrockEventFrame("contentBlockDelta", {
            contentBlockIndex,
            delta: { reasoningContent: { text: piece } },
          }),
        );
      }
      frames.push(
        bedrockEventFrame("contentBlockDelta", {
          contentBlockIndex,
          delta: { reasoningContent: { signature } },
        }),
      );
    } else if (isObject(block.toolUse)) {
      const use = block.toolUse;
      frames.push(
        bedrockEventFrame("contentBlockStart", {
          contentBlockIndex,
          start: { toolUse: { toolUseId: use.toolUseId, name: use.name } },
        }),
      );
      const input = typeof use.input === "string" ? use.input : JSON.stringify(use.input);
      for (const piece of splitForStream(input)) {
        frames.push(
          bedrockEventFrame("contentBlockDelta", { contentBlockIndex, delta: { toolUse: { input: piece } } }),
        );
      }
    }
    frames.push(bedrockEventFrame("contentBlockStop", { contentBlockIndex }));
  });
  frames.push(bedrockEventFrame("messageStop", { stopReason: stopReason(reply) }));
  frames.push(bedrockEventFrame("metadata", { usage: usage(reply), metrics: { latencyMs: 120 } }));
  return {
    status: 200,
    headers: { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": requestId() },
    events: frames,
  };
}

/**
 * A recorded fixture as Bedrock sent it: `.json` whole, `.eventstream` as the recorded bytes,
 * `.chunks.txt`/`.events.jsonl` (one `{"<event>": payload}` per line) encoded as frames.
 */
export function renderBedrockFixture(name: string, content: Uint8Array): WireResponse {
  const stream = { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": requestId() };
  if (name.endsWith(".eventstream")) return { status: 200, headers: stream, events: [content] };
  const text = Buffer.from(content).toString("utf8");
  if (name.endsWith(".json"))
    return {
      status: 200,
      headers: { "content-type": "application/json", "x-amzn-requestid": requestId() },
      body: text,
    };
  const frames = text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const event = JSON.parse(l) as Json;
      const [type, payload] = Object.entries(event)[0] ?? ["unknown", {}];
      return bedrockEventFrame(type, payload);
    });
  return { status: 200, headers: stream, events: frames };
}

function textOf(content: unknown): { text: string; images: number } {
  let text = "";
  let images = 0;
  for (const block of Array.isArray(content) ? content : []) {
    if (!isObject(block)) continue;
    if (typeof block.text === "string") text += block.text;
    if (block.image) images++;
  }
  return { text, images };
}

/** A provider-neutral reading of a Converse request. */
export function normalizeBedrockRequest(body: unknown, modelId: string): NormalizedRequest {
  const b = isObject(body) ? body : {};
  const system = (Array.isArray(b.system) ? b.system : []).filter(isObject).map((s) => String(s.text ?? ""));
  const messages: NormalizedMessage[] = [];
  for (const m of Array.isArray(b.messages) ? b.messages : []) {
    if (!isObject(m)) continue;
    const content = Array.isArray(m.content) ? m.content.filter(isObject) : [];
    const { text, images } = textOf(content);
    const toolCalls = content
      .filter((c) => isObject(c.toolUse))
      .map((c) => {
        const u = c.toolUse as Json;
        return { id: String(u.toolUseId), name: String(u.name), arguments: u.input };
      });
    const toolResults = content
      .filter((c) => isObject(c.toolResult))
      .map((c) => {
        const r = c.toolResult as Json;
        return {
          toolCallId: String(r.toolUseId),
          text: textOf(r.content).text,
          isError: r.status === "error",
        };
      });
    const role =
      m.role === "assistant" ? "assistant" : toolResults.length > 0 && text === "" ? "tool" : "user";
    messages.push({ role, text, images, toolCalls, toolResults });
  }
  const config = isObject(b.toolConfig) ? b.toolConfig : {};
  const tools = (Array.isArray(config.tools) ? config.tools : [])
    .filter(isObject)
    .filter((t) => isObject(t.toolSpec))
    .map((t) => String((t.toolSpec as Json).name));
  const choice = isObject(config.toolChoice) ? config.toolChoice : undefined;
  const out: NormalizedRequest = { model: modelId, system, messages, tools };
  if (choice?.auto) out.toolChoice = "auto";
  else if (choice?.any) out.toolChoice = "required";
  else if (isObject(choice?.tool)) out.toolChoice = { name: String(choice.tool.name) };
  const inference = isObject(b.inferenceConfig) ? b.inferenceConfig : {};
  if (typeof inference.maxTokens === "number") out.maxTokens = inference.maxTokens;
  if (typeof inference.temperature === "number") out.temperature = inference.temperature;
  return out;
}

export interface FakeBedrockOptions {
  fixturesDir?: string;
}

/** The fake Bedrock server, plus Bedrock's own exceptions (model not ready, throttling mid-stream…). */
export interface FakeBedrockServer extends FakeProviderServer {
  /**
   * Answer the next request with this exception (before the scripted replies). With `inStream`,
   * a ConverseStream starts normally and then sends the exception as an event-stream frame.
   */
  enqueueException(name: BedrockExceptionName, message?: string, options?: { inStream?: boolean }): void;
}

/**
 * Starts a fake Bedrock runtime on 127.0.0.1 (`POST /model/{id}/converse` and `/converse-stream`).
 * Pass `server.baseURL` as the client `endpoint`, with any static credentials.
 *
 * @example
 * const server = await startFakeBedrock();
 * const model = createBedrock({ region: "us-east-1", endpoint: server.baseURL, credentials: { accessKeyId: "test", secretAccessKey: "test" } })("amazon.nova-micro-v1:0");
 */
export async function startFakeBedrock(options: FakeBedrockOptions = {}): Promise<FakeBedrockServer> {
  const exceptions: Array<{ name: BedrockExceptionName; message: string; inStream: boolean }> = [];
  const server = await startFakeProviderHttp({
    provider: "bedrock",
    fixturesDir: options.fixturesDir ?? defaultFixturesDir(),
    baseURL: (url) => url,
    route({ method, path, headers, body }) {
      const match = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(path);
      if (method !== "POST" || !match) {
        return {
          direct: renderBedrockException("ResourceNotFoundException", `Unknown operation ${method} ${path}`),
        };
      }
      const modelId = decodeURIComponent(match[1] ?? "");
      const stream = match[2] === "converse-stream";
      const normalized = normalizeBedrockRequest(body, modelId);
      const base = {
        stream,
        normalized,
        render: (reply: RenderableReply) =>
          reply.kind === "error"
            ? renderBedrockError(reply.error)
            : stream
              ? renderBedrockStream(reply)
              : renderBedrockConverse(reply),
        renderFixture: renderBedrockFixture,
        garbageFrame: new Uint8Array(Buffer.from("this is not an event-stream frame at all, just bytes")),
      };
      if (!/^AWS4-HMAC-SHA256 Credential=/.test(headers.authorization ?? "")) {
        return {
          ...base,
          reject: renderBedrockException(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
          ),
        };
      }
      if (typeof body !== "object" || body === null) {
        return {
          ...base,
          reject: renderBedrockException(
            "ValidationException",
            "Malformed input request, please reformat your input and try again.",
          ),
        };
      }
      const problem = validateBedrockRequest(body);
      if (problem) return { ...base, reject: renderBedrockException("ValidationException", problem) };
      const exception = exceptions.shift();
      if (exception) {
        if (exception.inStream && stream) {
          const frames = [
            bedrockEventFrame("messageStart", { role: "assistant" }),
            bedrockExceptionFrame(exception.name, exception.message),
          ];
          return {
            ...base,
            reject: {
              status: 200,
              headers: { "content-type": "application/vnd.amazon.eventstream" },
              events: frames,
            },
          };
        }
        return { ...base, reject: renderBedrockException(exception.name, exception.message) };
      }
      return base;
    },
  });
  return Object.assign(server, {
    enqueueException(name: BedrockExceptionName, message?: string, opts: { inStream?: boolean } = {}) {
      exceptions.push({ name, message: message ?? DEFAULT_MESSAGES[name], inStream: opts.inStream === true });
    },
  });
}

const DEFAULT_MESSAGES: Record<BedrockExceptionName, string> = {
  ThrottlingException: "Too many requests, please wait before trying again.",
  ModelNotReadyException:
    "Model is not ready to serve inference requests. The AWS SDK will automatically retry the operation up to 5 times.",
  ServiceQuotaExceededException: "Your request exceeds the service quota for your account.",
  ValidationException: "Malformed input request, please reformat your input and try again.",
  AccessDeniedException: "You don't have access to the model with the specified model ID.",
  UnrecognizedClientException: "The security token included in the request is invalid.",
  ResourceNotFoundException: "Could not resolve the foundation model from the provided model identifier.",
  ModelTimeoutException: "The model took too long to respond.",
  ModelErrorException: "The model returned an error.",
  InternalServerException: "The server encountered an internal error.",
  ServiceUnavailableException: "Bedrock is unable to process your request.",
};
