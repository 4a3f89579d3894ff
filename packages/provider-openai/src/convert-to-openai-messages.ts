import type { ChatMessage, ContentPart, Warning } from "@llmux/core";
import type { OpenAICompatibleQuirks } from "./openai-presets.js";

/** A message as the Chat Completions wire takes it. */
export type OpenAIWireMessage = Record<string, unknown> & { role: string };

/**
 * Converts llmux messages to what an OpenAI-compatible API accepts: tool messages carry text only
 * (images move to a user message after the tool results, with a warning), llmux-only fields are
 * dropped, and `reasoning_content` is kept only where the provider accepts it back.
 */
export function convertToOpenAIMessages(
  messages: ChatMessage[],
  quirks: OpenAICompatibleQuirks,
): { messages: OpenAIWireMessage[]; warnings: Warning[] } {
  const out: OpenAIWireMessage[] = [];
  const warnings: Warning[] = [];
  // Images from consecutive tool messages, sent as one user message once the tool results end.
  let heldImages: ContentPart[] = [];
  const flushImages = () => {
    if (heldImages.length === 0) return;
    out.push({
      role: "user",
      content: [{ type: "text", text: "Images returned by the tool calls above:" }, ...heldImages],
    });
    heldImages = [];
  };
  messages.forEach((message, i) => {
    if (message.role !== "tool") flushImages();
    switch (message.role) {
      case "system":
      case "developer": {
        const role = message.role === "developer" && !quirks.developerRole ? "system" : message.role;
        out.push({ role, content: message.content, ...(message.name ? { name: message.name } : {}) });
        return;
      }
      case "user":
        out.push({ role: "user", content: message.content, ...(message.name ? { name: message.name } : {}) });
        return;
      case "assistant": {
        const wire: OpenAIWireMessage = { role: "assistant", content: message.content ?? null };
        if (message.tool_calls && message.tool_calls.length > 0) {
          wire.tool_calls = message.tool_calls.map((c) => ({
            id: c.id,
            type: "function",
            function: { name: c.function.name, arguments: c.function.arguments },
          }));
        }
        if (message.name) wire.name = message.name;
        if (message.refusal) wire.refusal = message.refusal;
        if (message.reasoning_content && quirks.acceptsReasoningContentInput) {
          wire.reasoning_content = message.reasoning_content;
        }
        out.push(wire);
        return;
      }
      case "tool": {
        if (typeof message.content === "string") {
          out.push({ role: "tool", tool_call_id: message.tool_call_id, content: message.content });
          return;
        }
        const texts: string[] = [];
        message.content.forEach((part, j) => {
          if (part.type === "text") texts.push(part.text);
          else {
            texts.push(
              `[${part.type === "image_url" ? "image" : part.type} attached in the next user message]`,
            );
            warnings.push({
              type: "unsupported-content",
              setting: `messages[${i}].content[${j}]`,
              message: `tool messages accept text only: the ${part.type} part was moved to a user message after the tool results`,
            });
            heldImages.push(part);
          }
        });
        out.push({ role: "tool", tool_call_id: message.tool_call_id, content: texts.join("\n") });
        return;
      }
    }
  });
  flushImages();
  return { messages: out, warnings };
}
