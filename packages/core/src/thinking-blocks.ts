import type { AssistantMessage } from "./chat-types.js";

/** A thinking block a provider can verify: signed reasoning, or the provider's own redacted reasoning. */
export type SignedThinkingBlock =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "redacted_thinking"; data: string };

/**
 * The blocks of `message.thinking_blocks` that can go back to the provider that signed them, in
 * order: thinking with a non-empty signature, and redacted thinking. Unsigned reasoning (another
 * provider's) and malformed entries (from a client) are left out.
 *
 * @example
 * for (const b of signedThinkingBlocks(message)) content.push(toProviderBlock(b));
 */
export function signedThinkingBlocks(message: AssistantMessage): SignedThinkingBlock[] {
  const out: SignedThinkingBlock[] = [];
  for (const b of Array.isArray(message.thinking_blocks) ? message.thinking_blocks : []) {
    if (
      b?.type === "thinking" &&
      typeof b.thinking === "string" &&
      typeof b.signature === "string" &&
      b.signature
    )
      out.push({ type: "thinking", thinking: b.thinking, signature: b.signature });
    else if (b?.type === "redacted_thinking" && typeof b.data === "string")
      out.push({ type: "redacted_thinking", data: b.data });
  }
  return out;
}
