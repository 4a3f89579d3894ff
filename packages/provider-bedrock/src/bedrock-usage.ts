import { normalizeUsage, type Usage } from "@llmux/core";
import type { BedrockUsage } from "./bedrock-wire-types.js";

/** Bedrock's `inputTokens` excludes cache reads/writes; OpenAI's `prompt_tokens` includes them. */
export function convertBedrockUsage(usage: BedrockUsage): Usage {
  return normalizeUsage({
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.totalTokens,
    cacheReadTokens: usage.cacheReadInputTokens,
    cacheWriteTokens: usage.cacheWriteInputTokens,
    inputIncludesCache: false,
  });
}
