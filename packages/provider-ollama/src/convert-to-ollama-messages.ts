import { type ChatMessage, type ContentPart, LlmuxError, parseDataUrl, type Warning } from "@llmux/core";
import type { OllamaToolNames } from "./ollama-prepare-tools.js";
import type { OllamaMessage } from "./ollama-wire-types.js";

function bad(param: string, message: string): LlmuxError {
  return new LlmuxError({ kind: "bad_request", param, message });
}

function textAndImages(
  content: string | ContentPart[] | null | undefined,
  param: string,
  warnings: Warning[],
): { text: string; images: string[] } {
  if (content === null || content === undefined) return { text: "", images: [] };
  if (typeof content === "string") return { text: content, images: [] };
  if (!Array.isArray(content)) throw bad(param, `${param} must be a string or an array of content parts`);
  let text = "";
  const images: string[] = [];
  content.forEach((part, j) => {
    const where = `${param}[${j}]`;
    if (part?.type === "text") text += part.text;
    else if (part?.type === "image_url") {
      const data = parseDataUrl(part.image_url?.url ?? "");
      // Ollama takes images as bare base64; it does not fetch URLs.
      if (data) images.push(data.base64);
      else
        warnings.push({
          type: "unsupported-content",
          setting: where,
          message:
            "Ollama accepts images as data: URLs only (it does not download URLs); the image was left out",
        });
    } else {
      warnings.push({
        type: "unsupported-content",
        setting: where,
        message: `content part of type "${String((part as { type?: unknown })?.type)}" is not supported by Ollama and was left out`,
      });
    }
  });
  return { text, images };
}

function parseArguments(text: string, param: string): Record<string, unknown> {
  if (text === "" || text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad(param, `${param} is not valid JSON: ${String(text).slice(0, 80)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw bad(param, `${param} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

export interface ConvertedOllamaPrompt {
  messages: OllamaMessage[];
  warnings: Warning[];
}

/**
 * Converts OpenAI-shaped messages to Ollama's /api/chat messages: tool-call arguments become
 * objects, tool results carry the tool's name (`tool_name`), images become base64 strings.
 */
export function convertToOllamaMessages(
  messages: ChatMessage[],
  names?: OllamaToolNames,
): ConvertedOllamaPrompt {
  const wire = (name: string) => (names ? names.toProvider(name) : name);
  if (!Array.isArray(messages) || messages.length === 0)
    throw bad("messages", "messages must be a non-empty array");
  const warnings: Warning[] = [];
  const toolNames = new Map<string, string>();
  const out: OllamaMessage[] = [];
  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message?.role) {
      case "system":
      case "developer":
        out.push({
          role: "system",
          content: textAndImages(message.content, `${param}.content`, warnings).text,
        });
        break;
      case "user": {
        const { text, images } = textAndImages(message.content, `${param}.content`, warnings);
        out.push({ role: "user", content: text, ...(images.length > 0 ? { images } : {}) });
        break;
      }
      case "assistant": {
        const { text } = textAndImages(message.content, `${param}.content`, warnings);
        const calls = (message.tool_calls ?? []).map((call, j) => {
          const where = `${param}.tool_calls[${j}]`;
          if (typeof call?.function?.name !== "string" || call.function.name === "") {
            throw bad(`${where}.function.name`, `${where}.function.name is required`);
          }
          if (call.id) toolNames.set(call.id, wire(call.function.name));
          return {
            // Ollama ignores fields it does not know; newer servers keep the id to pair the result.
            ...(call.id ? { id: call.id } : {}),
            function: {
              name: wire(call.function.name),
              arguments: parseArguments(call.function.arguments, `${where}.function.arguments`),
            },
          };
        });
        out.push({ role: "assistant", content: text, ...(calls.length > 0 ? { tool_calls: calls } : {}) });
        break;
      }
      case "tool": {
        const { text, images } = textAndImages(message.content, `${param}.content`, warnings);
        if (images.length > 0) {
          warnings.push({
            type: "unsupported-content",
            setting: `${param}.content`,
            message: "Ollama tool results carry text only; the image was left out",
          });
        }
        const name = toolNames.get(message.tool_call_id);
        out.push({
          role: "tool",
          // Ollama has no error flag for tool results: say it in the text.
          content: message.is_error ? `Error: ${text}` : text,
          ...(name ? { tool_name: name } : {}),
          tool_call_id: message.tool_call_id,
        });
        break;
      }
      default:
        throw bad(
          `${param}.role`,
          `${param}.role must be "system", "developer", "user", "assistant" or "tool", got ${JSON.stringify((message as { role?: unknown })?.role)}`,
        );
    }
  });
  return { messages: out, warnings };
}
