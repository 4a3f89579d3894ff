// Checks a Converse / ConverseStream request body the way Bedrock does, so the fake rejects what the
// real service rejects (400 ValidationException). Rules from the Converse API reference.

import { fakeThinkingSignature, thinkingRequiredMessage } from "./validate-anthropic-request.js";

type Json = Record<string, unknown>;

const IDENTIFIER = /^[a-zA-Z0-9_-]+$/;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const constraint = (value: unknown, path: string, rule: string) =>
  `1 validation error detected: Value '${typeof value === "string" ? value : JSON.stringify(value)}' at '${path}' failed to satisfy constraint: ${rule}`;

/**
 * The message of the ValidationException Bedrock would return for this body, or `undefined`.
 *
 * @example
 * validateBedrockRequest({ messages: [] }) // "A conversation must start with a user message. …"
 */
export function validateBedrockRequest(body: unknown): string | undefined {
  if (!isObject(body)) return "Malformed input request, please reformat your input and try again.";
  const toolNames = new Set<string>();
  const toolConfig = body.toolConfig;
  if (toolConfig !== undefined) {
    if (!isObject(toolConfig) || !Array.isArray(toolConfig.tools))
      return "The toolConfig field must contain a tools list.";
    if (toolConfig.tools.length === 0)
      return constraint("[]", "toolConfig.tools", "Member must have length greater than or equal to 1");
    for (let i = 0; i < toolConfig.tools.length; i++) {
      const tool = toolConfig.tools[i];
      const path = `toolConfig.tools.${i + 1}.member.toolSpec`;
      if (!isObject(tool))
        return constraint(tool, `toolConfig.tools.${i + 1}.member`, "Member must not be null");
      if (tool.cachePoint !== undefined) continue;
      const spec = tool.toolSpec;
      if (!isObject(spec)) return constraint(null, path, "Member must not be null");
      const name = spec.name;
      if (typeof name !== "string" || name.length < 1)
        return constraint(name ?? "", `${path}.name`, "Member must have length greater than or equal to 1");
      if (name.length > 64)
        return constraint(name, `${path}.name`, "Member must have length less than or equal to 64");
      if (!IDENTIFIER.test(name))
        return constraint(
          name,
          `${path}.name`,
          "Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
        );
      if (toolNames.has(name)) return `The tool name ${name} is duplicated. Tool names must be unique.`;
      toolNames.add(name);
      if (
        spec.description !== undefined &&
        (typeof spec.description !== "string" || spec.description.length < 1)
      ) {
        return constraint(
          spec.description,
          `${path}.description`,
          "Member must have length greater than or equal to 1",
        );
      }
      if (!isObject(spec.inputSchema) || !isObject(spec.inputSchema.json)) {
        return constraint(null, `${path}.inputSchema`, "Member must not be null");
      }
      if (spec.inputSchema.json.type !== "object") {
        return `The value at toolConfig.tools.${i}.toolSpec.inputSchema.json.type must be object.`;
      }
    }
    const choice = toolConfig.toolChoice;
    if (choice !== undefined) {
      if (
        !isObject(choice) ||
        (choice.auto === undefined && choice.any === undefined && choice.tool === undefined)
      ) {
        return "The toolChoice field must set exactly one of auto, any or tool.";
      }
      if (choice.tool !== undefined) {
        const name = isObject(choice.tool) ? choice.tool.name : undefined;
        if (typeof name !== "string" || !toolNames.has(name)) {
          return `The tool ${String(name)} specified in toolChoice is not defined in toolConfig.tools.`;
        }
      }
    }
  }
  if (body.system !== undefined) {
    if (!Array.isArray(body.system)) return "The system field must be a list of SystemContentBlock.";
    for (let i = 0; i < body.system.length; i++) {
      const block = body.system[i];
      if (isObject(block) && typeof block.text === "string" && block.text.trim() === "") {
        return `The text field in the SystemContentBlock object at system.${i} is blank. Add text to the text field, and try again.`;
      }
    }
  }
  const inference = body.inferenceConfig;
  if (inference !== undefined) {
    if (!isObject(inference)) return "The inferenceConfig field must be an object.";
    if (
      inference.maxTokens !== undefined &&
      (!Number.isInteger(inference.maxTokens) || (inference.maxTokens as number) < 1)
    ) {
      return constraint(
        inference.maxTokens,
        "inferenceConfig.maxTokens",
        "Member must have value greater than or equal to 1",
      );
    }
    if (
      inference.temperature !== undefined &&
      (typeof inference.temperature !== "number" || inference.temperature < 0 || inference.temperature > 1)
    ) {
      return constraint(
        inference.temperature,
        "inferenceConfig.temperature",
        "Member must have value less than or equal to 1",
      );
    }
  }
  const problem = validateMessages(body.messages, toolConfig !== undefined);
  if (problem) return problem;
  const extra = body.additionalModelRequestFields;
  const thinking = isObject(extra) && isObject(extra.thinking) && extra.thinking.type === "enabled";
  return validateReasoning(body.messages as Json[], thinking);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Claude on Bedrock with thinking on: signed reasoning must come back unchanged, and the assistant
 * turn of the last toolUse → toolResult exchange must open with it (the model's error, passed through).
 */
function validateReasoning(messages: Json[], thinking: boolean): string | undefined {
  for (let i = 0; i < messages.length; i++) {
    const content = Array.isArray(messages[i]!.content) ? (messages[i]!.content as Json[]) : [];
    for (let j = 0; j < content.length; j++) {
      const r = content[j]!.reasoningContent;
      if (isObject(r) && r.redactedContent !== undefined) {
        if (typeof r.redactedContent !== "string" || !BASE64.test(r.redactedContent))
          return `The model returned the following errors: messages.${i}.content.${j}: Invalid \`data\` in \`redacted_thinking\` block`;
        continue;
      }
      if (!isObject(r) || !isObject(r.reasoningText)) continue;
      const { text, signature } = r.reasoningText as Json;
      if (typeof text !== "string" || signature !== fakeThinkingSignature(text))
        return `The model returned the following errors: messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`;
    }
  }
  if (!thinking) return undefined;
  for (let i = messages.length - 1; i > 0; i--) {
    const content = Array.isArray(messages[i]!.content) ? (messages[i]!.content as Json[]) : [];
    if (messages[i]!.role !== "user" || !content.some((b) => isObject(b.toolResult))) continue;
    const turn = messages[i - 1]!.content;
    const first = Array.isArray(turn) ? (turn[0] as Json | undefined) : undefined;
    if (!isObject(first?.reasoningContent)) {
      const found = first && isObject(first.toolUse) ? "tool_use" : "text";
      return `The model returned the following errors: ${thinkingRequiredMessage(i - 1, found)}`;
    }
    break;
  }
  return undefined;
}

function validateMessages(messages: unknown, hasToolConfig: boolean): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) {
    return "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
  }
  let previousRole: string | undefined;
  let pendingToolUses: string[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (!isObject(message)) return constraint(message, `messages.${i + 1}.member`, "Member must not be null");
    const role = message.role;
    if (role !== "user" && role !== "assistant") {
      return constraint(
        role,
        `messages.${i + 1}.member.role`,
        "Member must satisfy enum value set: [user, assistant]",
      );
    }
    if (i === 0 && role !== "user") {
      return "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
    }
    if (role === previousRole) {
      return "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.";
    }
    previousRole = role;
    const content = message.content;
    if (!Array.isArray(content) || content.length === 0) {
      return `The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`;
    }
    const toolUses: string[] = [];
    const toolResults: string[] = [];
    for (let j = 0; j < content.length; j++) {
      const block = content[j];
      const where = `messages.${i}.content.${j}`;
      if (!isObject(block)) return `The ContentBlock object at ${where} is null.`;
      const keys = Object.keys(block).filter((k) => block[k] !== undefined);
      if (keys.length !== 1)
        return `The ContentBlock object at ${where} must set exactly one of its members.`;
      if (typeof block.text === "string" || keys[0] === "text") {
        if (typeof block.text !== "string" || block.text.trim() === "") {
          return `The text field in the ContentBlock object at ${where} is blank. Add text to the text field, and try again.`;
        }
      } else if (block.image !== undefined) {
        const image = block.image as Json;
        if (!isObject(image) || !["png", "jpeg", "gif", "webp"].includes(String(image.format))) {
          return constraint(
            image?.format,
            `${where}.image.format`,
            "Member must satisfy enum value set: [png, jpeg, gif, webp]",
          );
        }
        const source = image.source as Json | undefined;
        if (!isObject(source) || (typeof source.bytes !== "string" && !isObject(source.s3Location))) {
          return `The image source at ${where} must have bytes or an s3Location.`;
        }
      } else if (block.toolUse !== undefined) {
        if (role !== "assistant")
          return `The toolUse block at ${where} is only allowed in assistant messages.`;
        const use = block.toolUse as Json;
        const id = isObject(use) ? use.toolUseId : undefined;
        if (typeof id !== "string" || !IDENTIFIER.test(id) || id.length > 64) {
          return constraint(
            id,
            `${where}.toolUse.toolUseId`,
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
          );
        }
        if (typeof use.name !== "string" || !IDENTIFIER.test(use.name)) {
          return constraint(
            use.name,
            `${where}.toolUse.name`,
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
          );
        }
        if (!isObject(use.input)) return `The toolUse input at ${where} must be a JSON object.`;
        toolUses.push(id);
      } else if (block.toolResult !== undefined) {
        if (role !== "user") return `The toolResult block at ${where} is only allowed in user messages.`;
        const result = block.toolResult as Json;
        const id = isObject(result) ? result.toolUseId : undefined;
        if (typeof id !== "string" || !IDENTIFIER.test(id)) {
          return constraint(
            id,
            `${where}.toolResult.toolUseId`,
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
          );
        }
        if (result.status !== undefined && result.status !== "success" && result.status !== "error") {
          return constraint(
            result.status,
            `${where}.toolResult.status`,
            "Member must satisfy enum value set: [success, error]",
          );
        }
        if (!Array.isArray(result.content))
          return constraint(null, `${where}.toolResult.content`, "Member must not be null");
        for (let k = 0; k < result.content.length; k++) {
          const inner = result.content[k];
          if (
            !isObject(inner) ||
            (inner.text === undefined &&
              inner.json === undefined &&
              inner.image === undefined &&
              inner.document === undefined)
          ) {
            return `The toolResult content at ${where}.toolResult.content.${k} must set one of text, json, image or document.`;
          }
          if (typeof inner.text === "string" && inner.text.trim() === "") {
            return `The text field in the ToolResultContentBlock object at ${where}.toolResult.content.${k} is blank. Add text to the text field, and try again.`;
          }
        }
        toolResults.push(id);
      } else if (
        block.document === undefined &&
        block.reasoningContent === undefined &&
        block.cachePoint === undefined
      ) {
        return `The ContentBlock object at ${where} has an unknown member: ${keys[0]}.`;
      }
    }
    if ((toolUses.length > 0 || toolResults.length > 0) && !hasToolConfig) {
      return "The toolConfig field must be defined when using toolUse and toolResult content blocks.";
    }
    if (role === "user") {
      if (toolResults.length > pendingToolUses.length) {
        return `The number of toolResult blocks at messages.${i}.content exceeds the number of toolUse blocks of previous turn.`;
      }
      const missing = pendingToolUses.filter((id) => !toolResults.includes(id));
      if (missing.length > 0) {
        return `Expected toolResult blocks at messages.${i}.content for the following Ids: ${missing.join(", ")}`;
      }
      const unknown = toolResults.filter((id) => !pendingToolUses.includes(id));
      if (unknown.length > 0) {
        return `The toolResult blocks at messages.${i}.content contain ids that do not match any toolUse block of the previous turn: ${unknown.join(", ")}`;
      }
      pendingToolUses = [];
    } else {
      pendingToolUses = toolUses;
    }
  }
  return undefined;
}
