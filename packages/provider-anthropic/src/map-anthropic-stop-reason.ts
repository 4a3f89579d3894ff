import type { FinishReason } from "@llmux/core";

/** Maps Anthropic `stop_reason` to the OpenAI finish reason. */
export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case "tool_use":
      return "tool_calls";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "refusal":
      return "content_filter";
    default:
      // end_turn, stop_sequence, pause_turn and anything new: the model stopped normally.
      return "stop";
  }
}
