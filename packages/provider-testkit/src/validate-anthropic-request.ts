// Checks a Messages API request the way api.anthropic.com does, so the fake rejects what the real
// API rejects (400 invalid_request_error). Rules from the Messages API and tool-use docs.

import { createHash } from "node:crypto";

type Json = Record<string, unknown>;

/**
 * The signature the fake puts on a thinking block. Like the real API's, it binds the block's text:
 * a block sent back with other text (or someone else's signature) is rejected.
 */
export function fakeThinkingSignature(thinking: string): string {
  return `fake-sig-${createHash("sha256").update(thinking).digest("base64url").slice(0, 32)}`;
}

/** The API's message when a tool-calling turn comes back without its thinking (Claude on Bedrock passes it through). */
export const thinkingRequiredMessage = (i: number, found: string): string =>
  `messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${found}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`;

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const TOOL_USE_ID = /^[a-zA-Z0-9_-]+$/;
const BLOCK_TYPES = new Set([
  "text",
  "image",
  "document",
  "tool_use",
  "tool_result",
  "thinking",
  "redacted_thinking",
  "search_result",
]);

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The first problem the Messages API would report for this body, or `undefined` when it is valid.
 *
 * @example
 * validateAnthropicRequest({ model: "claude-sonnet-4-0", messages: [] }) // "max_tokens: Field required"
 */
export function validateAnthropicRequest(body: unknown): string | undefined {
  if (!isObject(body)) return "body: Input should be a valid dictionary";
  if (typeof body.model !== "string" || body.model === "") return "model: Field required";
  if (body.max_tokens === undefined) return "max_tokens: Field required";
  if (typeof body.max_tokens !== "number" || !Number.isInteger(body.max_tokens)) {
    return "max_tokens: Input should be a valid integer";
  }
  if (body.max_tokens < 1) return "max_tokens: Input should be greater than or equal to 1";
  if (body.temperature !== undefined) {
    if (typeof body.temperature !== "number") return "temperature: Input should be a valid number";
    if (body.temperature < 0 || body.temperature > 1)
      return "temperature: Input should be less than or equal to 1";
  }
  if (body.stop_sequences !== undefined) {
    if (!Array.isArray(body.stop_sequences) || body.stop_sequences.some((s) => typeof s !== "string")) {
      return "stop_sequences: Input should be a valid list of strings";
    }
  }
  if (body.system !== undefined && typeof body.system !== "string") {
    if (!Array.isArray(body.system)) return "system: Input should be a valid string or list of text blocks";
    for (let i = 0; i < body.system.length; i++) {
      const block = body.system[i];
      if (!isObject(block) || block.type !== "text" || typeof block.text !== "string") {
        return `system.${i}: Input should be a text block`;
      }
      if (block.text === "") return `system.${i}.text: text content blocks must be non-empty`;
    }
  }
  const toolNames = new Set<string>();
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return "tools: Input should be a valid list";
    for (let i = 0; i < body.tools.length; i++) {
      const tool = body.tools[i];
      if (!isObject(tool)) return `tools.${i}: Input should be a valid dictionary`;
      if (typeof tool.name !== "string" || !TOOL_NAME.test(tool.name)) {
        return `tools.${i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`;
      }
      if (toolNames.has(tool.name)) return "tools: Tool names must be unique.";
      toolNames.add(tool.name);
      if (!isObject(tool.input_schema)) return `tools.${i}.custom.input_schema: Field required`;
      if (tool.input_schema.type !== "object")
        return `tools.${i}.custom.input_schema.type: Input should be 'object'`;
      if (tool.description !== undefined && typeof tool.description !== "string") {
        return `tools.${i}.custom.description: Input should be a valid string`;
      }
    }
  }
  if (body.tool_choice !== undefined) {
    const choice = body.tool_choice;
    if (!isObject(choice) || !["auto", "any", "tool", "none"].includes(String(choice.type))) {
      return "tool_choice: Input tag does not match any of the expected tags: 'auto', 'any', 'tool', 'none'";
    }
    if (choice.type === "tool") {
      if (typeof choice.name !== "string") return "tool_choice.tool.name: Field required";
      if (!toolNames.has(choice.name))
        return `tool_choice.tool.name: Tool '${choice.name}' not found in tools`;
    }
    if ((choice.type === "any" || choice.type === "tool") && toolNames.size === 0) {
      return "tool_choice: tool_choice may only be specified while providing tools.";
    }
  }
  return validateMessages(body.messages, isObject(body.thinking) && body.thinking.type === "enabled");
}

function validateMessages(messages: unknown, thinking: boolean): string | undefined {
  if (!Array.isArray(messages)) return "messages: Field required";
  if (messages.length === 0) return "messages: at least one message is required";
  let previousRole: string | undefined;
  let pendingToolUses: string[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (!isObject(message)) return `messages.${i}: Input should be a valid dictionary`;
    const role = message.role;
    if (role !== "user" && role !== "assistant") {
      return role === "system"
        ? `messages.${i}.role: Unexpected role "system". The Messages API accepts a top-level \`system\` parameter, not "system" as an input message role.`
        : `messages.${i}.role: Input should be 'user' or 'assistant'`;
    }
    if (role === previousRole) {
      return `messages: roles must alternate between "user" and "assistant", but found multiple "${role}" roles in a row`;
    }
    const content = message.content;
    let blocks: Json[];
    if (typeof content === "string") {
      if (content === "" && !(role === "assistant" && i === messages.length - 1)) {
        return `messages.${i}.content: text content blocks must be non-empty`;
      }
      blocks = content === "" ? [] : [{ type: "text", text: content }];
    } else if (Array.isArray(content)) {
      if (content.length === 0 && !(role === "assistant" && i === messages.length - 1)) {
        return `messages.${i}.content: messages must have non-empty content`;
      }
      blocks = [];
      for (let j = 0; j < content.length; j++) {
        const block = content[j];
        const where = `messages.${i}.content.${j}`;
        if (!isObject(block) || !BLOCK_TYPES.has(String(block.type))) {
          return `${where}: Input tag '${isObject(block) ? String(block.type) : typeof block}' found using 'type' does not match any of the expected tags`;
        }
        const problem = validateBlock(block, where, role);
        if (problem) return problem;
        blocks.push(block);
      }
    } else {
      return `messages.${i}.content: Input should be a valid string or list of content blocks`;
    }
    // Tool use/result pairing: every tool_use is answered in the very next (user) message.
    if (role === "user") {
      const resultIds = blocks.filter((b) => b.type === "tool_result").map((b) => String(b.tool_use_id));
      const unexpected = resultIds.filter((id) => !pendingToolUses.includes(id));
      if (unexpected.length > 0) {
        return `messages.${i}.content.0: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unexpected.join(", ")}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
      const missing = pendingToolUses.filter((id) => !resultIds.includes(id));
      if (missing.length > 0) {
        return `messages.${i - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
      }
      pendingToolUses = [];
    } else {
      pendingToolUses = blocks.filter((b) => b.type === "tool_use").map((b) => String(b.id));
      const seen = new Set<string>();
      for (const id of pendingToolUses) {
        if (seen.has(id)) return `messages.${i}: \`tool_use\` ids must be unique, found duplicate: ${id}`;
        seen.add(id);
      }
    }
    previousRole = role;
  }
  if (thinking) {
    // The assistant turn of the last tool_use → tool_result exchange must open with its thinking.
    for (let i = messages.length - 1; i > 0; i--) {
      const m = messages[i] as Json;
      const content = Array.isArray(m.content) ? (m.content as Json[]) : [];
      if (m.role !== "user" || !content.some((b) => b.type === "tool_result")) continue;
      const turn = (messages[i - 1] as Json).content;
      const first = Array.isArray(turn) ? (turn[0] as Json | undefined) : { type: "text" };
      if (first?.type !== "thinking" && first?.type !== "redacted_thinking")
        return thinkingRequiredMessage(i - 1, String(first?.type ?? "text"));
      break;
    }
  }
  return undefined;
}

function validateBlock(block: Json, where: string, role: string): string | undefined {
  switch (block.type) {
    case "text":
      if (typeof block.text !== "string") return `${where}.text.text: Field required`;
      if (block.text === "") return `${where}.text: text content blocks must be non-empty`;
      return undefined;
    case "image":
    case "document": {
      const source = block.source;
      if (!isObject(source)) return `${where}.${block.type}.source: Field required`;
      if (source.type === "base64") {
        if (typeof source.media_type !== "string")
          return `${where}.${block.type}.source.base64.media_type: Field required`;
        if (
          block.type === "image" &&
          !["image/jpeg", "image/png", "image/gif", "image/webp"].includes(source.media_type)
        ) {
          return `${where}.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`;
        }
        if (typeof source.data !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(source.data)) {
          return `${where}.${block.type}.source.base64.data: Invalid base64 data`;
        }
        return undefined;
      }
      if (source.type === "url") {
        return typeof source.url === "string" && /^https?:\/\//.test(source.url)
          ? undefined
          : `${where}.${block.type}.source.url.url: Input should be a valid URL`;
      }
      return `${where}.${block.type}.source: Input tag '${String(source.type)}' found using 'type' does not match any of the expected tags: 'base64', 'url'`;
    }
    case "thinking":
      if (role !== "assistant") return `${where}: thinking blocks can only appear in assistant messages`;
      if (typeof block.thinking !== "string") return `${where}.thinking.thinking: Field required`;
      if (typeof block.signature !== "string") return `${where}.thinking.signature: Field required`;
      if (block.signature !== fakeThinkingSignature(block.thinking))
        return `${where}: Invalid \`signature\` in \`thinking\` block`;
      return undefined;
    case "redacted_thinking":
      if (role !== "assistant")
        return `${where}: redacted_thinking blocks can only appear in assistant messages`;
      return typeof block.data === "string" ? undefined : `${where}.redacted_thinking.data: Field required`;
    case "tool_use":
      if (role !== "assistant") return `${where}: tool_use blocks can only appear in assistant messages`;
      if (typeof block.id !== "string" || !TOOL_USE_ID.test(block.id)) {
        return `${where}.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`;
      }
      if (typeof block.name !== "string" || block.name === "")
        return `${where}.tool_use.name: Field required`;
      if (!isObject(block.input)) return `${where}.tool_use.input: Input should be a valid dictionary`;
      return undefined;
    case "tool_result": {
      if (role !== "user") return `${where}: tool_result blocks can only appear in user messages`;
      if (typeof block.tool_use_id !== "string" || !TOOL_USE_ID.test(block.tool_use_id)) {
        return `${where}.tool_result.tool_use_id: String should match pattern '^[a-zA-Z0-9_-]+$'`;
      }
      if (block.is_error !== undefined && typeof block.is_error !== "boolean") {
        return `${where}.tool_result.is_error: Input should be a valid boolean`;
      }
      const content = block.content;
      if (content === undefined || typeof content === "string") return undefined;
      if (!Array.isArray(content))
        return `${where}.tool_result.content: Input should be a valid string or list`;
      for (let k = 0; k < content.length; k++) {
        const inner = content[k];
        if (
          !isObject(inner) ||
          !["text", "image", "document", "search_result"].includes(String(inner.type))
        ) {
          return `${where}.tool_result.content.${k}: Input tag does not match any of the expected tags: 'text', 'image', 'document', 'search_result'`;
        }
        const problem = validateBlock(inner, `${where}.tool_result.content.${k}`, "user");
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
