import { describe, expect, it } from "vitest";
import { formatModelId, parseModelId } from "./index.js";

describe("parseModelId", () => {
  it.each([
    ["openai/gpt-4o-mini", "openai", "gpt-4o-mini"],
    [
      "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
      "bedrock",
      "anthropic.claude-3-5-sonnet-20240620-v1:0",
    ],
    ["openrouter/anthropic/claude-3.5-sonnet", "openrouter", "anthropic/claude-3.5-sonnet"],
    ["ollama/llama3.1:8b", "ollama", "llama3.1:8b"],
  ])("%s", (id, provider, model) => {
    expect(parseModelId(id)).toEqual({ provider, model });
    expect(formatModelId(parseModelId(id))).toBe(id);
  });

  it.each([
    ["", /empty/],
    ["gpt-4o", /no provider prefix/],
    ["/gpt-4o", /provider part is empty/],
    ["openai/", /model part is empty/],
    [" openai/gpt-4o", /whitespace/],
    ["OpenAI/gpt-4o", /lowercase/],
  ])("rejects %j with a clear bad_request error", (id, why) => {
    let error: unknown;
    try {
      parseModelId(id);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ kind: "bad_request", param: "model" });
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).toMatch(/expected "provider\/model"/);
  });

  it("rejects non-strings from untyped callers", () => {
    expect(() => parseModelId(42 as unknown as string)).toThrow(/expected a string, got number/);
  });

  it("uses a default provider when asked", () => {
    expect(parseModelId("gpt-4o", { defaultProvider: "openai" })).toEqual({
      provider: "openai",
      model: "gpt-4o",
    });
  });
});
