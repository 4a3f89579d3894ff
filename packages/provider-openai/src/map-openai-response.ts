import {
  type ChatChunk,
  type ChatResult,
  type FinishReason,
  LlmuxError,
  normalizeUsage,
  type ToolCall,
  type ToolCallDelta,
  type Usage,
} from "@llmux/core";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

const FINISH_REASONS: Record<string, FinishReason> = {
  stop: "stop",
  length: "length",
  model_length: "length",
  tool_calls: "tool_calls",
  function_call: "tool_calls",
  content_filter: "content_filter",
  eos: "stop",
};

/** OpenAI-compatible finish reasons to llmux's (unknown ones read as `stop`). */
export function mapOpenAIFinishReason(reason: unknown): FinishReason {
  return (typeof reason === "string" && FINISH_REASONS[reason]) || "stop";
}

/** Usage from OpenAI's shape, DeepSeek's cache fields, or Groq's `x_groq.usage`. */
export function mapOpenAIUsage(raw: unknown, completionExcludesReasoning = false): Usage | undefined {
  if (!isObject(raw)) return undefined;
  const prompt = isObject(raw.prompt_tokens_details) ? raw.prompt_tokens_details : {};
  const completion = isObject(raw.completion_tokens_details) ? raw.completion_tokens_details : {};
  return normalizeUsage({
    inputTokens: num(raw.prompt_tokens),
    outputTokens: num(raw.completion_tokens),
    totalTokens: num(raw.total_tokens),
    cacheReadTokens: num(prompt.cached_tokens) ?? num(raw.prompt_cache_hit_tokens),
    reasoningTokens: num(completion.reasoning_tokens),
    outputExcludesReasoning: completionExcludesReasoning,
  });
}

const reasoningOf = (m: Json): string | undefined => str(m.reasoning_content) ?? str(m.reasoning);

function invalid(message: string, who: { provider: string; model: string }): LlmuxError {
  return new LlmuxError({
    kind: "invalid_response",
    message: `${who.provider} (${who.model}) ${message}`,
    ...who,
  });
}

/** A whole `chat.completion` response to a `ChatResult`; throws `invalid_response` on a body without choices. */
export function mapOpenAIResult(
  raw: unknown,
  who: { provider: string; model: string },
  completionExcludesReasoning = false,
): ChatResult {
  if (!isObject(raw) || !Array.isArray(raw.choices) || raw.choices.length === 0) {
    throw invalid("returned a response without choices", who);
  }
  const result: ChatResult = {
    id: str(raw.id) ?? "",
    object: "chat.completion",
    created: num(raw.created) ?? Math.floor(Date.now() / 1000),
    model: str(raw.model) ?? who.model,
    choices: raw.choices.filter(isObject).map((choice, position) => {
      const m = isObject(choice.message) ? choice.message : {};
      const message: ChatResult["choices"][number]["message"] = {
        role: "assistant",
        content: typeof m.content === "string" ? m.content : null,
      };
      const calls = (Array.isArray(m.tool_calls) ? m.tool_calls : []).filter(isObject).map((c): ToolCall => {
        const fn = isObject(c.function) ? c.function : {};
        const args = fn.arguments;
        return {
          id: str(c.id) ?? "",
          type: "function",
          function: {
            name: str(fn.name) ?? "",
            arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}),
          },
        };
      });
      if (calls.length > 0) message.tool_calls = calls;
      const reasoning = reasoningOf(m);
      if (reasoning) message.reasoning_content = reasoning;
      if (typeof m.refusal === "string") message.refusal = m.refusal;
      return {
        index: num(choice.index) ?? position,
        message,
        finish_reason:
          calls.length > 0 && choice.finish_reason === "stop"
            ? "tool_calls"
            : mapOpenAIFinishReason(choice.finish_reason),
      };
    }),
  };
  const usage = mapOpenAIUsage(
    raw.usage ?? (isObject(raw.x_groq) ? raw.x_groq.usage : undefined),
    completionExcludesReasoning,
  );
  if (usage) result.usage = usage;
  if (typeof raw.system_fingerprint === "string") result.system_fingerprint = raw.system_fingerprint;
  return result;
}

/** One streamed `chat.completion.chunk` to a `ChatChunk`. Runs for every event: plain loops, no intermediate arrays. */
export function mapOpenAIChunk(
  raw: unknown,
  who: { provider: string; model: string },
  completionExcludesReasoning = false,
): ChatChunk {
  if (!isObject(raw)) throw invalid("sent a stream event that is not an object", who);
  const rawChoices = Array.isArray(raw.choices) ? raw.choices : [];
  const choices: ChatChunk["choices"] = [];
  for (let position = 0; position < rawChoices.length; position++) {
    const choice: unknown = rawChoices[position];
    if (!isObject(choice)) continue;
    choices.push({
      index: num(choice.index) ?? position,
      delta: mapDelta(isObject(choice.delta) ? choice.delta : {}),
      finish_reason: choice.finish_reason ? mapOpenAIFinishReason(choice.finish_reason) : null,
    });
  }
  const chunk: ChatChunk = {
    id: str(raw.id) ?? "",
    object: "chat.completion.chunk",
    created: num(raw.created) ?? Math.floor(Date.now() / 1000),
    model: str(raw.model) ?? who.model,
    choices,
  };
  const rawUsage = raw.usage ?? (isObject(raw.x_groq) ? raw.x_groq.usage : undefined);
  if (rawUsage !== undefined && rawUsage !== null) {
    const usage = mapOpenAIUsage(rawUsage, completionExcludesReasoning);
    if (usage) chunk.usage = usage;
  }
  if (typeof raw.system_fingerprint === "string") chunk.system_fingerprint = raw.system_fingerprint;
  return chunk;
}

function mapDelta(d: Json): ChatChunk["choices"][number]["delta"] {
  const delta: ChatChunk["choices"][number]["delta"] = {};
  if (d.role === "assistant") delta.role = "assistant";
  if (typeof d.content === "string") delta.content = d.content;
  const reasoning = reasoningOf(d);
  if (reasoning) delta.reasoning_content = reasoning;
  if (typeof d.refusal === "string") delta.refusal = d.refusal;
  if (Array.isArray(d.tool_calls)) {
    const calls: ToolCallDelta[] = [];
    for (let i = 0; i < d.tool_calls.length; i++) {
      const c: unknown = d.tool_calls[i];
      if (!isObject(c)) continue;
      const fn = isObject(c.function) ? c.function : {};
      const out: ToolCallDelta = { index: num(c.index) ?? i };
      if (typeof c.id === "string" && c.id !== "") out.id = c.id;
      if (c.type === "function") out.type = "function";
      const f: { name?: string; arguments?: string } = {};
      if (typeof fn.name === "string" && fn.name !== "") f.name = fn.name;
      if (typeof fn.arguments === "string") f.arguments = fn.arguments;
      else if (isObject(fn.arguments)) f.arguments = JSON.stringify(fn.arguments);
      out.function = f;
      calls.push(out);
    }
    delta.tool_calls = calls;
  }
  return delta;
}
