import type { ChatTool } from "@llmux/core";
import type {
  AnthropicToolDefinition,
  BedrockToolDefinition,
  GeminiFunctionDeclaration,
  McpToolDefinition,
  OllamaToolDefinition,
  ToolTarget,
} from "@llmux/tool-schema";

/** `"mcp"` (the server's own definitions) or one of the provider formats. */
export type McpToolFormat = "mcp" | ToolTarget;

/** The tool type returned for each format. */
export interface McpToolFormats {
  mcp: McpToolDefinition;
  openai: ChatTool;
  anthropic: AnthropicToolDefinition;
  ollama: OllamaToolDefinition;
  bedrock: BedrockToolDefinition;
  gemini: GeminiFunctionDeclaration;
}

export const MCP_TOOL_FORMATS: readonly McpToolFormat[] = [
  "mcp",
  "openai",
  "anthropic",
  "ollama",
  "bedrock",
  "gemini",
];
