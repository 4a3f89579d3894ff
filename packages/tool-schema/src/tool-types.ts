import type { ChatTool, JsonSchema, JsonValue } from "@llmux/core";

/** The five tool formats llmux translates to. */
export type ToolTarget = "openai" | "anthropic" | "ollama" | "bedrock" | "gemini";

/** All targets, in a stable order (handy for sweeps and tests). */
export const TOOL_TARGETS: readonly ToolTarget[] = ["openai", "anthropic", "ollama", "bedrock", "gemini"];

/** An MCP tool definition as `tools/list` returns it (only the fields translation needs). */
export interface McpToolDefinition {
  name: string;
  title?: string;
  description?: string;
  /** JSON Schema of the arguments; MCP requires `type: "object"`. */
  inputSchema?: JsonSchema;
  annotations?: {
    title?: string;
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
    [key: string]: JsonValue | undefined;
  };
  [key: string]: unknown;
}

/** What changed in a tool during translation, and why. Returned as data, never thrown. */
export interface ToolSchemaWarning {
  /** The tool's original (MCP) name. */
  tool: string;
  target: ToolTarget;
  code:
    | "dropped-keyword"
    | "recursive-ref"
    | "unresolved-ref"
    | "null-union"
    | "combinator"
    | "top-level-combinator"
    | "missing-schema"
    | "required-not-in-properties"
    | "renamed"
    | "description-fallback"
    | "strict-unavailable"
    | "too-many-tools";
  /** JSON pointer-ish path inside the input schema (`""` for the tool itself). */
  path: string;
  message: string;
}

/** A tool that could not be made valid for the target, with the reason. The rest of the list still converts. */
export interface QuarantinedTool {
  tool: string;
  target: ToolTarget;
  reason: string;
}

/** Anthropic Messages API tool. */
export interface AnthropicToolDefinition {
  name: string;
  description?: string;
  input_schema: JsonSchema & { type: "object" };
}

/** Ollama `/api/chat` tool (OpenAI's shape; `parameters` always present). */
export interface OllamaToolDefinition {
  type: "function";
  function: { name: string; description?: string; parameters: JsonSchema };
}

/** Bedrock Converse `toolConfig.tools[]` entry. */
export interface BedrockToolDefinition {
  toolSpec: { name: string; description: string; inputSchema: { json: JsonSchema } };
}

/** Bedrock Converse `toolConfig` (without `toolChoice`, which is per request). */
export interface BedrockToolConfigDefinition {
  tools: BedrockToolDefinition[];
}

/** Gemini `functionDeclarations[]` entry (OpenAPI 3.0 schema subset). `parameters` is absent for no-argument tools. */
export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: JsonSchema;
}

/** The tool type each target produces. */
export interface ToolsByTarget {
  openai: ChatTool;
  anthropic: AnthropicToolDefinition;
  ollama: OllamaToolDefinition;
  bedrock: BedrockToolDefinition;
  gemini: GeminiFunctionDeclaration;
}
