import { type ChatTool, LlmuxError, type ToolChoice, type Warning } from "@llmux/core";
import { chatToolsToOllama, toolWarningsToCore } from "@llmux/tool-schema";
import type { OllamaTool } from "./ollama-wire-types.js";

/** Translates tool names both ways (names Ollama's models handle: `[a-zA-Z0-9_-]{1,64}`). */
export interface OllamaToolNames {
  toProvider(name: string): string;
  fromProvider(name: string): string;
}

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
  if (input.tools !== undefined && !Array.isArray(input.tools)) {
    throw new LlmuxError({
      kind: "bad_request",
      param: "tools",
      message: "tools must be an array of function tools",
    });
  }
  const tools = input.tools ?? [];
  if (tools.length === 0) return { names: SAME, warnings };
  if (input.toolChoice === "none") return { names: SAME, warnings };
  if (input.toolChoice === "required" || typeof input.toolChoice === "object") {
    warnings.push({
      type: "unsupported-setting",
      setting: "tool_choice",
      message: 'Ollama cannot force a tool call; the model decides (tool_choice treated as "auto")',
    });
  }
  tools.forEach((tool, i) => {
    if (tool?.type !== "function" || typeof tool.function?.name !== "string" || tool.function.name === "") {
      throw new LlmuxError({
        kind: "bad_request",
        param: `tools[${i}].function.name`,
        message: `tools[${i}] must be { type: "function", function: { name, parameters } } with a non-empty name`,
      });
    }
    const params = tool.function.parameters;
    if (params !== undefined && (typeof params !== "object" || params === null || Array.isArray(params))) {
      throw new LlmuxError({
        kind: "bad_request",
        param: `tools[${i}].function.parameters`,
        message: `tools[${i}].function.parameters must be a JSON Schema object`,
      });
    }
  });
  // Schema sanitising and name rules live in @llmux/tool-schema.
  const conversion = chatToolsToOllama(tools);
  warnings.push(...toolWarningsToCore(conversion.warnings, conversion.quarantined));
  const converted = conversion.tools as OllamaTool[];
  const codec = conversion.codec;
  return {
    ...(converted.length > 0 ? { tools: converted } : {}),
    names: {
      toProvider: (name) => codec.encode(name),
      fromProvider: (wire) => codec.decode(wire)?.name ?? wire,
    },
    warnings,
  };
}
