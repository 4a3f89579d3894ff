import { type ChatTool, LlmuxError } from "@llmux/core";
import type { ToolNameCodec } from "./tool-name-codec.js";

/** Tool names both ways for one request: what the provider sees, and back to the caller's names. */
export interface ToolNameMap {
  toProvider(name: string): string;
  fromProvider(name: string): string;
}

/** The name map of a codec from one of the `chatToolsTo*` conversions. */
export function toolNameMap(codec: ToolNameCodec): ToolNameMap {
  return {
    toProvider: (name) => codec.encode(name),
    fromProvider: (wire) => codec.decode(wire)?.name ?? wire,
  };
}

/**
 * Checks the `tools` of a request before an adapter converts them, naming the field at fault:
 * an array of `{ type: "function", function: { name, parameters? } }`.
 */
export function checkChatTools(tools: unknown): ChatTool[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) {
    throw new LlmuxError({
      kind: "bad_request",
      param: "tools",
      message: "tools must be an array of function tools",
    });
  }
  tools.forEach((tool: ChatTool | undefined, i) => {
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
  return tools as ChatTool[];
}
