import {
  type ChatMessage,
  type ContentPart,
  LlmuxError,
  parseDataUrl,
  signedThinkingBlocks,
  type TextPart,
  type Warning,
} from "@llmux/core";
import { toBedrockIdentifier } from "./bedrock-ids.js";
import type { BedrockToolNames } from "./bedrock-prepare-tools.js";
import type { BedrockContentBlock, BedrockMessage } from "./bedrock-wire-types.js";

export interface ConvertedBedrockPrompt {
  system?: Array<{ text: string }>;
  messages: BedrockMessage[];
  hasToolBlocks: boolean;
  warnings: Warning[];
}

type ImageBlock = Extract<BedrockContentBlock, { image: unknown }>;
const IMAGE_FORMATS: Record<string, ImageBlock["image"]["format"]> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/jpg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
};

function bad(param: string, message: string): LlmuxError {
  return new LlmuxError({ kind: "bad_request", param, message });
}

function blocksOf(
  content: string | ContentPart[] | TextPart[] | null | undefined,
  param: string,
  warnings: Warning[],
): Array<{ text: string } | ImageBlock> {
  if (content === null || content === undefined) return [];
  if (typeof content === "string") return content.trim() === "" ? [] : [{ text: content }];
  if (!Array.isArray(content)) throw bad(param, `${param} must be a string or an array of content parts`);
  const out: Array<{ text: string } | ImageBlock> = [];
  content.forEach((part, j) => {
    const where = `${param}[${j}]`;
    if (part?.type === "text") {
      // Bedrock rejects blank text blocks.
      if (typeof part.text === "string" && part.text.trim() !== "") out.push({ text: part.text });
    } else if (part?.type === "image_url") {
      const data = parseDataUrl(part.image_url?.url ?? "");
      const format = data ? IMAGE_FORMATS[data.mediaType.toLowerCase()] : undefined;
      if (data && format)
        out.push({ image: { format, source: { bytes: Buffer.from(data.base64, "base64") } } });
      else
        warnings.push({
          type: "unsupported-content",
          setting: where,
          message: "Bedrock accepts png/jpeg/gif/webp images as data: URLs only; the image was left out",
        });
    } else {
      warnings.push({
        type: "unsupported-content",
        setting: where,
        message: `content part of type "${String((part as { type?: unknown })?.type)}" is not supported by Bedrock Converse and was left out`,
      });
    }
  });
  return out;
}

function parseArguments(text: string, param: string): Record<string, unknown> {
  if (text === "" || text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad(param, `${param} is not valid JSON: ${String(text).slice(0, 80)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw bad(param, `${param} must be a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * Converts OpenAI-shaped messages to Converse: system messages to `system`, tool calls to
 * `toolUse`, tool results to `toolResult` (with `status`), consecutive same-role turns merged.
 */
export function convertToBedrockMessages(
  messages: ChatMessage[],
  names: BedrockToolNames,
): ConvertedBedrockPrompt {
  if (!Array.isArray(messages) || messages.length === 0)
    throw bad("messages", "messages must be a non-empty array");
  const warnings: Warning[] = [];
  const system: Array<{ text: string }> = [];
  const out: BedrockMessage[] = [];
  let hasToolBlocks = false;
  const push = (role: "user" | "assistant", blocks: BedrockContentBlock[]) => {
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message?.role) {
      case "system":
      case "developer": {
        const text = blocksOf(message.content, `${param}.content`, warnings)
          .map((b) => ("text" in b ? b.text : ""))
          .join("");
        if (text !== "") system.push({ text });
        break;
      }
      case "user": {
        const blocks = blocksOf(message.content, `${param}.content`, warnings);
        if (blocks.length === 0)
          throw bad(`${param}.content`, `${param}.content is empty; Bedrock rejects blank messages`);
        push("user", blocks);
        break;
      }
      case "assistant": {
        // Signed reasoning first, unchanged: Claude with thinking on requires it back with a
        // tool-calling turn. Unsigned reasoning (another provider's) is not sent.
        const blocks: BedrockContentBlock[] = signedThinkingBlocks(message).map((b) =>
          b.type === "thinking"
            ? { reasoningContent: { reasoningText: { text: b.thinking, signature: b.signature } } }
            : { reasoningContent: { redactedContent: Buffer.from(b.data, "base64") } },
        );
        blocks.push(...blocksOf(message.content, `${param}.content`, warnings));
        (message.tool_calls ?? []).forEach((call, j) => {
          const where = `${param}.tool_calls[${j}]`;
          if (typeof call?.id !== "string" || call.id === "")
            throw bad(`${where}.id`, `${where}.id is required`);
          if (typeof call.function?.name !== "string" || call.function.name === "") {
            throw bad(`${where}.function.name`, `${where}.function.name is required`);
          }
          hasToolBlocks = true;
          blocks.push({
            toolUse: {
              toolUseId: toBedrockIdentifier(call.id),
              name: names.toProvider(call.function.name),
              input: parseArguments(call.function.arguments, `${where}.function.arguments`),
            },
          });
        });
        if (blocks.length > 0) push("assistant", blocks);
        break;
      }
      case "tool": {
        if (typeof message.tool_call_id !== "string" || message.tool_call_id === "") {
          throw bad(`${param}.tool_call_id`, `${param}.tool_call_id is required`);
        }
        hasToolBlocks = true;
        const content = blocksOf(message.content, `${param}.content`, warnings);
        push("user", [
          {
            toolResult: {
              toolUseId: toBedrockIdentifier(message.tool_call_id),
              // An empty result is still an answer; Bedrock needs at least one non-blank block.
              content: content.length > 0 ? content : [{ text: "(empty result)" }],
              status: message.is_error ? "error" : "success",
            },
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
  for (const m of out) {
    if (m.role === "user") {
      const results = m.content.filter((b) => "toolResult" in b);
      if (results.length > 0) m.content = [...results, ...m.content.filter((b) => !("toolResult" in b))];
    }
  }
  return { ...(system.length > 0 ? { system } : {}), messages: out, hasToolBlocks, warnings };
}
