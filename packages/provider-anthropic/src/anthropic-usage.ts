import { normalizeUsage, type Usage } from "@llmux/core";
import type { AnthropicUsage } from "./anthropic-wire-types.js";

/** Anthropic reports cache reads/writes beside `input_tokens`; OpenAI's `prompt_tokens` includes them. */
export function convertAnthropicUsage(usage: AnthropicUsage): Usage {
  return normalizeUsage({
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens: usage.cache_read_input_tokens,
    cacheWriteTokens: usage.cache_creation_input_tokens,
    reasoningTokens: usage.output_tokens_details?.thinking_tokens,
    inputIncludesCache: false,
  });
}
