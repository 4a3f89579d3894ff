import type { Usage } from "./chat-types.js";

/** Token counts as providers report them, before normalisation. */
export interface RawUsage {
  /** Input tokens. See `inputIncludesCache`. */
  inputTokens?: number | null;
  outputTokens?: number | null;
  totalTokens?: number | null;
  cacheReadTokens?: number | null;
  cacheWriteTokens?: number | null;
  /** Reasoning tokens; already part of `outputTokens` unless `outputExcludesReasoning`. */
  reasoningTokens?: number | null;
  /**
   * Whether `inputTokens` already includes cache reads/writes. OpenAI: yes (default).
   * Anthropic and Bedrock report them separately: pass `false`.
   */
  inputIncludesCache?: boolean;
  /** Gemini reports thoughts outside the candidate count: pass `true` to add them to output. */
  outputExcludesReasoning?: boolean;
}

const n = (v: number | null | undefined): number =>
  typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;

/**
 * Normalises provider token counts to OpenAI's shape, where `prompt_tokens` counts every input token
 * (cached reads and cache writes included) and `completion_tokens` includes reasoning.
 *
 * @example
 * normalizeUsage({ inputTokens: 10, outputTokens: 5, cacheReadTokens: 100, inputIncludesCache: false })
 * // → { prompt_tokens: 110, completion_tokens: 5, total_tokens: 115, prompt_tokens_details: { cached_tokens: 100 } }
 */
export function normalizeUsage(raw: RawUsage): Usage {
  const cacheRead = n(raw.cacheReadTokens);
  const cacheWrite = n(raw.cacheWriteTokens);
  const reasoning = n(raw.reasoningTokens);
  const prompt =
    raw.inputIncludesCache === false ? n(raw.inputTokens) + cacheRead + cacheWrite : n(raw.inputTokens);
  const completion = n(raw.outputTokens) + (raw.outputExcludesReasoning ? reasoning : 0);
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: Math.max(n(raw.totalTokens), prompt + completion),
  };
  if (cacheRead || cacheWrite) {
    usage.prompt_tokens_details = {};
    if (cacheRead) usage.prompt_tokens_details.cached_tokens = cacheRead;
    if (cacheWrite) usage.prompt_tokens_details.cache_write_tokens = cacheWrite;
  }
  if (reasoning) usage.completion_tokens_details = { reasoning_tokens: reasoning };
  return usage;
}

/** The token buckets a price applies to; they add up to `total`. */
export interface UsageBreakdown {
  /** Input tokens billed at the normal input price (not cached, not written to cache). */
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Output tokens other than reasoning. */
  outputTokens: number;
  reasoningTokens: number;
  totalTokens: number;
}

/** Splits a normalised `Usage` into disjoint buckets for pricing. */
export function usageBreakdown(usage: Usage): UsageBreakdown {
  const cacheRead = n(usage.prompt_tokens_details?.cached_tokens);
  const cacheWrite = n(usage.prompt_tokens_details?.cache_write_tokens);
  const reasoning = Math.min(
    n(usage.completion_tokens_details?.reasoning_tokens),
    n(usage.completion_tokens),
  );
  return {
    inputTokens: Math.max(0, n(usage.prompt_tokens) - cacheRead - cacheWrite),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens: n(usage.completion_tokens) - reasoning,
    reasoningTokens: reasoning,
    totalTokens: n(usage.prompt_tokens) + n(usage.completion_tokens),
  };
}

/** Adds usages (e.g. the steps of a tool loop, or retries). */
export function addUsage(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
  if (!a) return b;
  if (!b) return a;
  const x = usageBreakdown(a);
  const y = usageBreakdown(b);
  return normalizeUsage({
    inputTokens: x.inputTokens + y.inputTokens,
    cacheReadTokens: x.cacheReadTokens + y.cacheReadTokens,
    cacheWriteTokens: x.cacheWriteTokens + y.cacheWriteTokens,
    inputIncludesCache: false,
    outputTokens: x.outputTokens + x.reasoningTokens + y.outputTokens + y.reasoningTokens,
    reasoningTokens: x.reasoningTokens + y.reasoningTokens,
  });
}
