import { LlmuxError } from "@llmux/core";

/** Qwen's thinking switches, passed as `providerOptions.qwen`. */
export interface QwenThinkingOptions {
  /** Turn thinking (reasoning_content) on or off for hybrid models such as qwen3 / qwen-plus. */
  enable_thinking?: boolean;
  /** Upper bound on reasoning tokens. */
  thinking_budget?: number;
}

/**
 * Checks `providerOptions.qwen` before it is sent, so a typo fails here with the field named
 * instead of as an opaque 400 from DashScope.
 */
export function parseQwenThinkingOptions(options: Record<string, unknown> | undefined): QwenThinkingOptions {
  if (options === undefined) return {};
  const out: QwenThinkingOptions = {};
  const fail = (param: string, message: string) =>
    new LlmuxError({
      kind: "bad_request",
      provider: "qwen",
      param,
      message: `providerOptions.qwen.${param} ${message}`,
    });
  if (options.enable_thinking !== undefined) {
    if (typeof options.enable_thinking !== "boolean") throw fail("enable_thinking", "must be true or false");
    out.enable_thinking = options.enable_thinking;
  }
  if (options.thinking_budget !== undefined) {
    const budget = options.thinking_budget;
    if (typeof budget !== "number" || !Number.isInteger(budget) || budget < 1) {
      throw fail("thinking_budget", "must be a positive whole number of tokens");
    }
    out.thinking_budget = budget;
  }
  return out;
}
