import type { FinishReason } from "@llmux/core";

/** Maps Ollama `done_reason` to the OpenAI finish reason (Ollama says "stop" even after tool calls). */
export function mapOllamaFinishReason(doneReason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return "tool_calls";
  if (doneReason === "length") return "length";
  return "stop";
}
