import {
  type ChatMessage,
  type ContentPart,
  LlmuxError,
  parseDataUrl,
  signedThinkingBlocks,
  type TextPart,
  type Warning,
} from "@llmux/core";
import type { ToolNames } from "./anthropic-prepare-tools.js";
import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicTextBlock,
} from "./anthropic-wire-types.js";

export interface ConvertedAnthropicPrompt {
  system?: AnthropicTextBlock[];
  messages: AnthropicMessage[];
  warnings: Warning[];
}

function bad(param: string, message: string): LlmuxError {
  return new LlmuxError({ kind: "bad_request", param, message });
}

function imageBlock(url: string, param: string): AnthropicImageBlock {
  const data = parseDataUrl(url);
  if (data)
    return { type: "image", source: { type: "base64", media_type: data.mediaType, data: data.base64 } };
  if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
  throw bad(param, `${param} must be an http(s) URL or a data:image/...;base64 URL`);
}

function partsToBlocks(
  content: string | ContentPart[] | TextPart[],
  param: string,
  warnings: Warning[],
): AnthropicContentBlock[] {
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) throw bad(param, `${param} must be a string or an array of content parts`);
  const blocks: AnthropicContentBlock[] = [];
  content.forEach((part, j) => {
    const where = `${param}[${j}]`;
    if (part?.type === "text") {
      if (typeof part.text !== "string") throw bad(`${where}.text`, `${where}.text must be a string`);
      // Anthropic rejects empty text blocks.
      if (part.text !== "") blocks.push({ type: "text", text: part.text });
    } else if (part?.type === "image_url") {
      const url = part.image_url?.url;
      if (typeof url !== "string")
        throw bad(`${where}.image_url.url`, `${where}.image_url.url must be a string`);
      blocks.push(imageBlock(url, `${where}.image_url.url`));
    } else if (part?.type === "file" && part.file?.file_data) {
      const data = parseDataUrl(part.file.file_data);
      if (data?.mediaType === "application/pdf") {
        blocks.push({
          type: "document",
          source: { type: "base64", media_type: data.mediaType, data: data.base64 },
        });
      } else {
        warnings.push({
          type: "unsupported-content",
          setting: where,
          message:
            "Anthropic accepts PDF files only (as a data:application/pdf;base64 URL); the file was left out",
        });
      }
    } else {
      warnings.push({
        type: "unsupported-content",
        setting: where,
        message: `content part of type "${String((part as { type?: unknown })?.type)}" is not supported by Anthropic and was left out`,
      });
    }
  });
  return blocks;
}

/**
 * Anthropic accepts tool_use ids matching `^[a-zA-Z0-9_-]+$`; ids made by other providers (Bedrock's
 * `functions.get_weather:0`) are rewritten the same way in tool_use and tool_result, so they still pair.
 */
export function toAnthropicToolUseId(id: string): string {
  if (/^[a-zA-Z0-9_-]+$/.test(id)) return id;
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return `${id.replace(/[^a-zA-Z0-9_-]/g, "_")}_${(h >>> 0).toString(16).padStart(8, "0")}`;
}

function parseArguments(text: string, param: string): Record<string, unknown> {
  if (text === "" || text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad(param, `${param} is not valid JSON: ${text.slice(0, 80)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw bad(param, `${param} must be a JSON object (Anthropic tool input is an object)`);
  }
  return value as Record<string, unknown>;
}

/**
 * Converts OpenAI-shaped messages to the Messages API: system messages move to `system`, tool
 * results become `tool_result` blocks in a user turn, and consecutive same-role turns are merged
 * (the API requires user and assistant to alternate).
 */
export function convertToAnthropicMessages(
  messages: ChatMessage[],
  names: ToolNames,
): ConvertedAnthropicPrompt {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw bad("messages", "messages must be a non-empty array");
  }
  const warnings: Warning[] = [];
  const system: AnthropicTextBlock[] = [];
  const out: AnthropicMessage[] = [];
  const push = (role: "user" | "assistant", blocks: AnthropicContentBlock[]) => {
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message?.role) {
      case "system":
      case "developer": {
        const text =
          typeof message.content === "string"
            ? message.content
            : Array.isArray(message.content)
              ? message.content.map((p) => (p?.type === "text" ? p.text : "")).join("")
              : undefined;
        if (typeof text !== "string") throw bad(`${param}.content`, `${param}.content must be text`);
        if (text !== "") system.push({ type: "text", text });
        break;
      }
      case "user": {
        const blocks = partsToBlocks(message.content, `${param}.content`, warnings);
        if (blocks.length === 0) {
          throw bad(`${param}.content`, `${param}.content is empty; Anthropic rejects empty user messages`);
        }
        push("user", blocks);
        break;
      }
      case "assistant": {
        // Signed thinking goes first, as the API returned it: with extended thinking on, a turn
        // that called tools must come back with its thinking blocks or the API answers 400.
        // Unsigned reasoning (another provider's) cannot be verified by Anthropic and stays out.
        const blocks: AnthropicContentBlock[] = signedThinkingBlocks(message);
        if (message.content !== null && message.content !== undefined)
          blocks.push(...partsToBlocks(message.content, `${param}.content`, warnings));
        (message.tool_calls ?? []).forEach((call, j) => {
          const where = `${param}.tool_calls[${j}]`;
          if (typeof call?.id !== "string" || call.id === "")
            throw bad(`${where}.id`, `${where}.id is required`);
          if (typeof call.function?.name !== "string" || call.function.name === "") {
            throw bad(`${where}.function.name`, `${where}.function.name is required`);
          }
          blocks.push({
            type: "tool_use",
            id: toAnthropicToolUseId(call.id),
            name: names.toProvider(call.function.name),
            input: parseArguments(call.function.arguments, `${where}.function.arguments`),
          });
        });
        // An empty assistant turn (no text, no calls) carries nothing and the API rejects it.
        if (blocks.length > 0) push("assistant", blocks);
        break;
      }
      case "tool": {
        if (typeof message.tool_call_id !== "string" || message.tool_call_id === "") {
          throw bad(`${param}.tool_call_id`, `${param}.tool_call_id is required`);
        }
        const parts = partsToBlocks(message.content ?? "", `${param}.content`, warnings).filter(
          (b): b is AnthropicTextBlock | AnthropicImageBlock => b.type === "text" || b.type === "image",
        );
        const onlyText = parts.every((b) => b.type === "text");
        push("user", [
          {
            type: "tool_result",
            tool_use_id: toAnthropicToolUseId(message.tool_call_id),
            content: onlyText ? parts.map((b) => (b as AnthropicTextBlock).text).join("") : parts,
            ...(message.is_error ? { is_error: true } : {}),
          },
        ]);
        break;
      }
      default:
        throw bad(
          `${param}.role`,
          `${param}.role must be "system", "developer", "user", "assistant" or "tool", got ${JSON.stringify((message as { role?: unknown })?.role)}`,
        );
    }
  });
  if (out.length === 0) throw bad("messages", "messages has no user or assistant content to send");
  // Tool results must open the user turn that answers the tool calls.
  for (const m of out) {
    if (m.role === "user") {
      const results = m.content.filter((b) => b.type === "tool_result");
      if (results.length > 0) m.content = [...results, ...m.content.filter((b) => b.type !== "tool_result")];
    }
  }
  return { ...(system.length > 0 ? { system } : {}), messages: out, warnings };
}
