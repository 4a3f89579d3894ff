import { describe, expect, it } from "vitest";
import { type AssistantMessage, signedThinkingBlocks } from "./index.js";

describe("signedThinkingBlocks", () => {
  it("keeps signed and redacted thinking in order, leaves out unsigned and malformed entries", () => {
    const message = {
      role: "assistant",
      content: "ok",
      thinking_blocks: [
        { type: "thinking", thinking: "first", signature: "s1" },
        { type: "thinking", thinking: "unsigned" },
        { type: "thinking", thinking: "empty signature", signature: "" },
        null,
        { type: "redacted_thinking", data: "b3BhcXVl" },
        { type: "redacted_thinking" },
        { type: "thinking", thinking: 42, signature: "s2" },
      ],
    } as unknown as AssistantMessage;
    expect(signedThinkingBlocks(message)).toEqual([
      { type: "thinking", thinking: "first", signature: "s1" },
      { type: "redacted_thinking", data: "b3BhcXVl" },
    ]);
  });

  it("is empty without thinking blocks, or when they are not an array", () => {
    expect(signedThinkingBlocks({ role: "assistant", content: "x" })).toEqual([]);
    expect(
      signedThinkingBlocks({ role: "assistant", thinking_blocks: "x" } as unknown as AssistantMessage),
    ).toEqual([]);
  });
});
