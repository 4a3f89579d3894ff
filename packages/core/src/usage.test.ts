import { describe, expect, it } from "vitest";
import { addUsage, normalizeUsage, usageBreakdown } from "./index.js";

describe("usage normalisation", () => {
  it("adds Anthropic-style separate cache counts into prompt_tokens", () => {
    const usage = normalizeUsage({
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 100,
      cacheWriteTokens: 20,
      inputIncludesCache: false,
    });
    expect(usage).toEqual({
      prompt_tokens: 130,
      completion_tokens: 5,
      total_tokens: 135,
      prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 },
    });
    expect(usageBreakdown(usage)).toEqual({
      inputTokens: 10,
      cacheReadTokens: 100,
      cacheWriteTokens: 20,
      outputTokens: 5,
      reasoningTokens: 0,
      totalTokens: 135,
    });
  });

  it("keeps OpenAI-style counts (cache included) and splits reasoning out of output for pricing", () => {
    const usage = normalizeUsage({
      inputTokens: 291,
      outputTokens: 26,
      cacheReadTokens: 290,
      reasoningTokens: 20,
    });
    expect(usage.prompt_tokens).toBe(291);
    expect(usageBreakdown(usage)).toMatchObject({
      inputTokens: 1,
      cacheReadTokens: 290,
      outputTokens: 6,
      reasoningTokens: 20,
    });
  });

  it("counts Gemini thoughts reported outside the output count", () => {
    const usage = normalizeUsage({
      inputTokens: 10,
      outputTokens: 5,
      reasoningTokens: 7,
      outputExcludesReasoning: true,
    });
    expect(usage.completion_tokens).toBe(12);
  });

  it("treats missing, negative and non-finite counts as zero", () => {
    expect(normalizeUsage({ inputTokens: -3, outputTokens: Number.NaN, totalTokens: null })).toEqual({
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
    });
  });

  it("adds the usage of several steps bucket by bucket", () => {
    const a = normalizeUsage({ inputTokens: 100, outputTokens: 10, cacheReadTokens: 50 });
    const b = normalizeUsage({ inputTokens: 200, outputTokens: 20, reasoningTokens: 5 });
    const sum = addUsage(a, b)!;
    expect(sum.prompt_tokens).toBe(300);
    expect(sum.completion_tokens).toBe(30);
    expect(sum.total_tokens).toBe(330);
    expect(sum.prompt_tokens_details?.cached_tokens).toBe(50);
    expect(sum.completion_tokens_details?.reasoning_tokens).toBe(5);
    expect(addUsage(undefined, b)).toBe(b);
  });
});
