import { normalizeUsage } from "@llmux/core";
import { describe, expect, it } from "vitest";
import { addLookedUpPrices } from "./calculate-cost.js";
import { calculateCost, completionCost, getModelPrice, priceUsage } from "./index.js";

const million = (n: number) => n * 1_000_000;

describe("calculateCost", () => {
  it("prices an OpenAI call from the catalog", () => {
    const r = calculateCost({
      model: "openai/gpt-4o-mini",
      usage: normalizeUsage({ inputTokens: million(1), outputTokens: million(1) }),
    });
    expect(r.costUsd).toBeCloseTo(0.75, 6);
    expect(r.source).toBe("catalog");
  });

  it("prices Anthropic cache reads and writes at their own rates", () => {
    const usage = normalizeUsage({
      inputTokens: million(1),
      cacheReadTokens: million(1),
      cacheWriteTokens: million(1),
      outputTokens: million(1),
      inputIncludesCache: false,
    });
    const r = calculateCost({ model: "anthropic/claude-sonnet-4-0", usage });
    expect(r.breakdown).toEqual({
      inputUsd: 3,
      cacheReadUsd: 0.3,
      cacheWriteUsd: 3.75,
      outputUsd: 15,
      reasoningUsd: 0,
    });
    expect(r.costUsd).toBeCloseTo(22.05, 6);
  });

  it("prices reasoning tokens as output", () => {
    const usage = normalizeUsage({ inputTokens: 0, outputTokens: million(1), reasoningTokens: million(0.5) });
    const r = calculateCost({ model: "deepseek/deepseek-chat", usage });
    expect(r.breakdown?.reasoningUsd).toBeCloseTo(r.breakdown!.outputUsd, 6);
  });

  it("matches dated variants and Bedrock regional ids", () => {
    expect(getModelPrice("openai/gpt-4o-2024-08-06")).toMatchObject({ input: 2.5, output: 10 });
    expect(getModelPrice("bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0")).toMatchObject({
      input: 3,
      output: 15,
    });
    expect(getModelPrice("qwen/qwen-plus")).toMatchObject({ input: 0.4, output: 1.2 });
    expect(getModelPrice("dashscope/qwen-max")).toMatchObject({ input: 1.6 });
  });

  it("costs local models nothing", () => {
    const usage = normalizeUsage({ inputTokens: 5000, outputTokens: 500 });
    expect(calculateCost({ model: "ollama/llama3.1:8b", usage })).toMatchObject({
      costUsd: 0,
      source: "local",
    });
    expect(calculateCost({ model: "simulated/local", usage }).costUsd).toBe(0);
  });

  it("returns null with a warning for an unknown model, never 0", () => {
    const r = calculateCost({
      model: "openai/gpt-unknown-9",
      usage: normalizeUsage({ inputTokens: 10, outputTokens: 10 }),
    });
    expect(r.costUsd).toBeNull();
    expect(r.warning).toMatch(/no price known for "openai\/gpt-unknown-9"/);
  });

  it("applies a per-deployment price override", () => {
    const usage = normalizeUsage({ inputTokens: million(2), outputTokens: million(1) });
    expect(
      calculateCost({ model: "acme/private-model", usage, price: { input: 1, output: 2 } }),
    ).toMatchObject({ costUsd: 4, source: "override" });
    expect(calculateCost({ model: "openai/gpt-4o-mini", usage, price: { output: 1 } }).costUsd).toBeCloseTo(
      1.3,
      6,
    );
  });

  it("rejects bad usage with an error naming the field", () => {
    expect(() =>
      calculateCost({
        model: "openai/gpt-4o",
        usage: { prompt_tokens: -1, completion_tokens: 1, total_tokens: 0 },
      }),
    ).toThrow(/usage\.prompt_tokens must be a finite number/);
    expect(() =>
      calculateCost({
        model: "openai/gpt-4o",
        usage: { prompt_tokens: 1, completion_tokens: Number.NaN, total_tokens: 0 },
      }),
    ).toThrow(/usage\.completion_tokens/);
    expect(() => calculateCost({ model: "gpt-4o", usage: normalizeUsage({}) })).toThrow(/no provider prefix/);
  });

  it("reads a finished result, and says when usage is missing", () => {
    const result = {
      id: "r",
      object: "chat.completion" as const,
      created: 0,
      model: "openai/gpt-4o-mini",
      choices: [],
      usage: normalizeUsage({ inputTokens: million(1), outputTokens: 0 }),
    };
    expect(completionCost(result).costUsd).toBeCloseTo(0.15, 6);
    const { usage: _drop, ...noUsage } = result;
    expect(completionCost(noUsage)).toMatchObject({ costUsd: null });
  });
});

describe("getModelPrice + priceUsage", () => {
  it("resolve a price once and charge many calls the same as calculateCost", () => {
    const price = getModelPrice("anthropic/claude-sonnet-4-0");
    expect(price).not.toBeNull();
    const usage = {
      prompt_tokens: 1200,
      completion_tokens: 300,
      total_tokens: 1500,
      prompt_tokens_details: { cached_tokens: 200 },
    };
    const direct = calculateCost({ model: "anthropic/claude-sonnet-4-0", usage });
    expect(priceUsage(usage, price!)).toEqual({ costUsd: direct.costUsd, breakdown: direct.breakdown });
  });

  it("rejects bad usage the same way", () => {
    expect(() =>
      priceUsage({ prompt_tokens: -1, completion_tokens: 0, total_tokens: 0 }, { input: 1, output: 1 }),
    ).toThrow(/usage.prompt_tokens/);
  });
});

describe("look-ups from a price look-up process", () => {
  it("refuses a malformed answer whole, adding nothing", () => {
    const good = ["test/model-a", { price: { input: 1, output: 2 }, source: "catalog" }];
    for (const bad of [
      "not an array",
      [good, ["test/model-b", { price: { input: "1", output: 2 }, source: "catalog" }]],
      [good, ["test/model-b", { price: { input: 1, output: 2, cacheRead: "x" }, source: "catalog" }]],
      [good, ["test/model-b", { price: { input: 1, output: 2 }, source: "override" }]],
      [good, ["test/model-b", { price: null, source: "catalog" }]],
      [good, [42, null]],
    ]) {
      expect(() => addLookedUpPrices(bad), JSON.stringify(bad)).toThrow(TypeError);
    }
    // Nothing of the refused answers was kept: both models are new here.
    expect(addLookedUpPrices([good, ["test/model-b", null]])).toBe(2);
    expect(getModelPrice("test/model-a")).toEqual({ input: 1, output: 2 });
    expect(addLookedUpPrices([good])).toBe(0); // already known: kept as it was
  });
});
