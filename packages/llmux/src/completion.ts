import {
  type CallOptions,
  type ChatChunk,
  type ChatRequest,
  type ChatResult,
  LlmuxError,
  parseModelId,
  StreamAccumulator,
} from "@llmux/core";
import { calculateCost } from "@llmux/pricing";
import { resolveModel } from "./resolve-model.js";

/** A chat request with `model: "provider/model"`, optional provider params (`api_key`, `api_base`…) and call options. */
export type CompletionRequest = ChatRequest & {
  model: string;
  api_key?: string;
  api_base?: string;
  /** Any other provider parameter, LiteLLM-style (`aws_region_name`, `api_version`, …). */
  [param: string]: unknown;
} & Pick<CallOptions, "signal" | "timeoutMs" | "headers" | "metadata">;

const REQUEST_FIELDS = new Set([
  "messages",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "response_format",
  "temperature",
  "top_p",
  "max_tokens",
  "max_completion_tokens",
  "stop",
  "seed",
  "presence_penalty",
  "frequency_penalty",
  "reasoning_effort",
  "user",
  "stream_options",
  "metadata",
  "providerOptions",
]);
const CALL_FIELDS = new Set(["signal", "timeoutMs", "headers", "metadata"]);

function split(input: CompletionRequest): {
  id: string;
  request: ChatRequest;
  params: Record<string, unknown>;
  options: CallOptions;
} {
  if (!input || typeof input !== "object") {
    throw new LlmuxError({
      kind: "bad_request",
      message: "completion: expected a request object with model and messages",
    });
  }
  if (typeof input.model !== "string") {
    throw new LlmuxError({
      kind: "bad_request",
      param: "model",
      message: 'completion: `model` must be a "provider/model" string',
    });
  }
  const request: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === "model" || k === "stream") continue;
    if (CALL_FIELDS.has(k)) options[k] = v;
    if (REQUEST_FIELDS.has(k)) request[k] = v;
    else if (!CALL_FIELDS.has(k)) params[k] = v;
  }
  return {
    id: input.model,
    request: request as unknown as ChatRequest,
    params,
    options: options as CallOptions,
  };
}

function withCost(id: string, usage: ChatResult["usage"]): number | null {
  if (!usage) return null;
  try {
    return calculateCost({ model: id, usage }).costUsd;
  } catch {
    return null;
  }
}

/**
 * One call to any provider: `completion({ model: "anthropic/claude-sonnet-4-0", messages, tools })`.
 * The result carries `llmux.costUsd` (null when the price is unknown).
 */
export async function completion(input: CompletionRequest): Promise<ChatResult> {
  const { id, request, params, options } = split(input);
  const result = await resolveModel(id, params).chat(request, options);
  const provider = parseModelId(id).provider;
  return {
    ...result,
    llmux: { provider, ...result.llmux, costUsd: result.llmux?.costUsd ?? withCost(id, result.usage) },
  };
}

/**
 * Streams any provider's answer as OpenAI-shaped chunks; usage is requested, and the last chunk
 * carries `llmux.costUsd`.
 */
export async function* streamCompletion(input: CompletionRequest): AsyncIterable<ChatChunk> {
  const { id, request, params, options } = split(input);
  const acc = new StreamAccumulator();
  let last: ChatChunk | undefined;
  for await (const chunk of resolveModel(id, params).stream(
    { ...request, stream_options: { include_usage: true } },
    options,
  )) {
    acc.push(chunk);
    if (last) yield last;
    last = chunk;
  }
  if (last) {
    const usage = acc.result().usage;
    yield {
      ...last,
      llmux: {
        provider: parseModelId(id).provider,
        ...last.llmux,
        costUsd: last.llmux?.costUsd ?? withCost(id, usage),
      },
    };
  }
}

/**
 * Cost of a finished call in USD: what the router or `completion` recorded, else priced from usage.
 * `null` when unknown.
 */
export function completionCost(result: ChatResult, model?: string): number | null {
  if (result.llmux?.costUsd !== undefined) return result.llmux.costUsd;
  let id = model ?? result.model;
  if (!id.includes("/") && result.llmux?.provider) id = `${result.llmux.provider}/${id}`;
  return withCost(id, result.usage);
}
