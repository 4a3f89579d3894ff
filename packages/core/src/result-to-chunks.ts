import type { ChatChunk, ChatResult } from "./chat-types.js";

/**
 * Turns a finished result into the chunks a stream would have carried (role, content, tool calls,
 * finish reason, then usage). For models that cannot stream, and for replaying cached answers.
 */
export function resultToChunks(result: ChatResult): ChatChunk[] {
  const base = {
    id: result.id,
    object: "chat.completion.chunk" as const,
    created: result.created,
    model: result.model,
  };
  const chunks: ChatChunk[] = [];
  for (const choice of result.choices) {
    const { message } = choice;
    chunks.push({
      ...base,
      choices: [{ index: choice.index, delta: { role: "assistant" }, finish_reason: null }],
    });
    if (message.reasoning_content) {
      chunks.push({
        ...base,
        choices: [
          {
            index: choice.index,
            delta: { reasoning_content: message.reasoning_content },
            finish_reason: null,
          },
        ],
      });
    }
    if (message.content) {
      chunks.push({
        ...base,
        choices: [{ index: choice.index, delta: { content: message.content }, finish_reason: null }],
      });
    }
    message.tool_calls?.forEach((call, index) => {
      chunks.push({
        ...base,
        choices: [
          {
            index: choice.index,
            delta: {
              tool_calls: [
                {
                  index,
                  id: call.id,
                  type: "function",
                  function: { name: call.function.name, arguments: call.function.arguments },
                },
              ],
            },
            finish_reason: null,
          },
        ],
      });
    });
    chunks.push({
      ...base,
      choices: [{ index: choice.index, delta: {}, finish_reason: choice.finish_reason }],
    });
  }
  if (result.usage || result.llmux) {
    const last: ChatChunk = { ...base, choices: [], usage: result.usage ?? null };
    if (result.llmux) last.llmux = result.llmux;
    chunks.push(last);
  }
  return chunks;
}
