import type { FinishReason } from "@llmux/core";

/** Maps Bedrock `stopReason` to the OpenAI finish reason. */
export function mapBedrockStopReason(reason: string | undefined): FinishReason {
  switch (reason) {
    case "tool_use":
      return "tool_calls";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "guardrail_intervened":
    case "content_filtered":
      return "content_filter";
    default:
      return "stop";
  }
}
