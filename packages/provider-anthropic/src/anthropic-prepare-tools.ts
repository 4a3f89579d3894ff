import { type ChatTool, LlmuxError, type ToolChoice, type Warning } from "@llmux/core";
import {
  chatToolsToAnthropic,
  checkChatTools,
  ToolNameCodec,
  type ToolNameMap,
  toolNameMap,
  toolWarningsToCore,
} from "@llmux/tool-schema";
import type { AnthropicTool, AnthropicToolChoice } from "./anthropic-wire-types.js";

/** Translates tool names both ways (Anthropic allows `^[a-zA-Z0-9_-]{1,64}$`). */
export type ToolNames = ToolNameMap;

export interface PreparedAnthropicTools {
  tools?: AnthropicTool[];
  toolChoice?: AnthropicToolChoice;
  names: ToolNames;
  warnings: Warning[];
}

/**
 * Converts OpenAI-shaped tools and `tool_choice` to Anthropic's `tools`/`tool_choice`;
 * `parallel_tool_calls: false` becomes `disable_parallel_tool_use: true`.
 */
export function prepareAnthropicTools(input: {
  tools?: ChatTool[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
}): PreparedAnthropicTools {
  const warnings: Warning[] = [];
  const tools = checkChatTools(input.tools);
  if (tools.length === 0) {
    const names = toolNameMap(new ToolNameCodec("anthropic"));
    if (input.toolChoice !== undefined && input.toolChoice !== "none" && input.toolChoice !== "auto") {
      throw new LlmuxError({
        kind: "bad_request",
        param: "tool_choice",
        message: `tool_choice ${JSON.stringify(input.toolChoice)} needs "tools"; the request has none`,
      });
    }
    return { names, warnings };
  }
  // Schema sanitising and the reversible name codec live in @llmux/tool-schema.
  const conversion = chatToolsToAnthropic(tools);
  const names = toolNameMap(conversion.codec);
  warnings.push(...toolWarningsToCore(conversion.warnings, conversion.quarantined));
  const converted = conversion.tools as AnthropicTool[];
  const disableParallel = input.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  let toolChoice: AnthropicToolChoice | undefined;
  const choice = input.toolChoice;
  if (choice === undefined || choice === "auto") {
    if (input.parallelToolCalls === false) toolChoice = { type: "auto", ...disableParallel };
  } else if (choice === "none") toolChoice = { type: "none" };
  else if (choice === "required") toolChoice = { type: "any", ...disableParallel };
  else if (typeof choice === "object" && choice.type === "function" && choice.function?.name) {
    const left = conversion.quarantined.find((q) => q.tool === choice.function.name);
    if (left) {
      throw new LlmuxError({
        kind: "bad_request",
        param: "tool_choice.function.name",
        message: `tool_choice names "${choice.function.name}", which cannot be sent to Anthropic: ${left.reason}`,
      });
    }
    if (!tools.some((t) => t.function.name === choice.function.name)) {
      throw new LlmuxError({
        kind: "bad_request",
        param: "tool_choice.function.name",
        message: `tool_choice names "${choice.function.name}", which is not in "tools"`,
      });
    }
    toolChoice = { type: "tool", name: names.toProvider(choice.function.name), ...disableParallel };
  } else {
    throw new LlmuxError({
      kind: "bad_request",
      param: "tool_choice",
      message: `tool_choice must be "none", "auto", "required" or { type: "function", function: { name } }`,
    });
  }
  return {
    ...(converted.length > 0 ? { tools: converted } : {}),
    toolChoice: converted.length > 0 ? toolChoice : undefined,
    names,
    warnings,
  };
}
