import { type ChatTool, LlmuxError, type ToolChoice, type Warning } from "@llmux/core";
import {
  chatToolsToBedrock,
  checkChatTools,
  ToolNameCodec,
  type ToolNameMap,
  toolNameMap,
  toolWarningsToCore,
} from "@llmux/tool-schema";
import type { BedrockToolChoice, BedrockToolConfig, BedrockToolSpec } from "./bedrock-wire-types.js";

/** Translates tool names both ways (Bedrock allows `[a-zA-Z0-9_-]{1,64}`). */
export type BedrockToolNames = ToolNameMap;

export interface PreparedBedrockTools {
  toolConfig?: BedrockToolConfig;
  names: BedrockToolNames;
  warnings: Warning[];
}

/**
 * Converts OpenAI-shaped tools to a Converse `toolConfig`. Bedrock requires a non-empty
 * description (the tool's name is used when there is none) and has no `tool_choice: "none"`.
 */
export function prepareBedrockTools(input: {
  tools?: ChatTool[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  /** The conversation holds toolUse/toolResult blocks: Bedrock then requires a toolConfig. */
  historyHasTools?: boolean;
}): PreparedBedrockTools {
  const warnings: Warning[] = [];
  const tools = checkChatTools(input.tools);
  if (tools.length === 0) return { names: toolNameMap(new ToolNameCodec("bedrock")), warnings };
  if (input.parallelToolCalls === false) {
    warnings.push({
      type: "unsupported-setting",
      setting: "parallel_tool_calls",
      message: "Bedrock Converse cannot limit parallel tool calls",
    });
  }
  // Schema sanitising, the name codec and the description fallback live in @llmux/tool-schema.
  const conversion = chatToolsToBedrock(tools);
  const names = toolNameMap(conversion.codec);
  warnings.push(...toolWarningsToCore(conversion.warnings, conversion.quarantined));
  const specs = conversion.tools as BedrockToolSpec[];
  if (specs.length === 0) return { names, warnings };
  const choice = input.toolChoice;
  let toolChoice: BedrockToolChoice | undefined;
  if (choice === "none") {
    if (!input.historyHasTools) return { names, warnings };
    warnings.push({
      type: "unsupported-setting",
      setting: "tool_choice",
      message:
        'Bedrock has no tool_choice "none" and needs the tools when the history has tool calls; they were sent',
    });
  } else if (choice === "required") toolChoice = { any: {} };
  else if (typeof choice === "object" && choice?.type === "function") {
    const left = conversion.quarantined.find((q) => q.tool === choice.function?.name);
    if (left) {
      throw new LlmuxError({
        kind: "bad_request",
        param: "tool_choice.function.name",
        message: `tool_choice names "${choice.function.name}", which cannot be sent to Bedrock: ${left.reason}`,
      });
    }
    if (!tools.some((t) => t.function.name === choice.function?.name)) {
      throw new LlmuxError({
        kind: "bad_request",
        param: "tool_choice.function.name",
        message: `tool_choice names "${choice.function?.name}", which is not in "tools"`,
      });
    }
    toolChoice = { tool: { name: names.toProvider(choice.function.name) } };
  } else if (choice !== undefined && choice !== "auto") {
    throw new LlmuxError({
      kind: "bad_request",
      param: "tool_choice",
      message: `tool_choice must be "none", "auto", "required" or { type: "function", function: { name } }`,
    });
  }
  return { toolConfig: { tools: specs, ...(toolChoice ? { toolChoice } : {}) }, names, warnings };
}
