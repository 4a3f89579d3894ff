import type { ChatTool, ToolChoice, Warning } from "@llmux/core";
import {
  chatToolsToOllama,
  checkChatTools,
  type ToolNameMap,
  toolNameMap,
  toolWarningsToCore,
} from "@llmux/tool-schema";
import type { OllamaTool } from "./ollama-wire-types.js";

/** Translates tool names both ways (names Ollama's models handle: `[a-zA-Z0-9_-]{1,64}`). */
export type OllamaToolNames = ToolNameMap;

const SAME: OllamaToolNames = { toProvider: (n) => n, fromProvider: (n) => n };

export interface PreparedOllamaTools {
  tools?: OllamaTool[];
  names: OllamaToolNames;
  warnings: Warning[];
}

/**
 * Converts OpenAI-shaped tools to Ollama's (the same shape, parameters required). Ollama has no
 * `tool_choice`: "none" leaves the tools out; forcing a tool is reported as a warning.
 */
export function prepareOllamaTools(input: {
  tools?: ChatTool[];
  toolChoice?: ToolChoice;
}): PreparedOllamaTools {
  const warnings: Warning[] = [];
  const tools = checkChatTools(input.tools);
  if (tools.length === 0) return { names: SAME, warnings };
  if (input.toolChoice === "none") return { names: SAME, warnings };
  if (input.toolChoice === "required" || typeof input.toolChoice === "object") {
    warnings.push({
      type: "unsupported-setting",
      setting: "tool_choice",
      message: 'Ollama cannot force a tool call; the model decides (tool_choice treated as "auto")',
    });
  }
  // Schema sanitising and name rules live in @llmux/tool-schema.
  const conversion = chatToolsToOllama(tools);
  warnings.push(...toolWarningsToCore(conversion.warnings, conversion.quarantined));
  const converted = conversion.tools as OllamaTool[];
  return {
    ...(converted.length > 0 ? { tools: converted } : {}),
    names: toolNameMap(conversion.codec),
    warnings,
  };
}
