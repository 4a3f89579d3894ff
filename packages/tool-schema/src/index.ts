export type { ToolNameMap } from "./check-chat-tools.js";
export { checkChatTools, toolNameMap } from "./check-chat-tools.js";
export type { ChatToolsConversion, ConvertedTools, ConvertToolsOptions } from "./convert-tools.js";
export {
  chatToolsToAnthropic,
  chatToolsToBedrock,
  chatToolsToGemini,
  chatToolsToMcp,
  chatToolsToOllama,
  chatToolsToOpenAI,
  convertTools,
  toAnthropicTools,
  toBedrockTools,
  toGeminiTools,
  toOllamaTools,
  toOpenAITools,
} from "./convert-tools.js";
export type { SanitizedSchema, SanitizeOptions, SchemaIssue } from "./sanitize-schema.js";
export { sanitizeSchema } from "./sanitize-schema.js";
export type { SchemaProfile } from "./schema-profiles.js";
export { SCHEMA_PROFILES } from "./schema-profiles.js";
export type { DecodedToolName } from "./tool-name-codec.js";
export { TOOL_PREFIX_SEPARATOR, ToolNameCodec } from "./tool-name-codec.js";
export type { ToolNameRule } from "./tool-name-rules.js";
export { TOOL_NAME_RULES } from "./tool-name-rules.js";
export type {
  AnthropicToolDefinition,
  BedrockToolConfigDefinition,
  BedrockToolDefinition,
  GeminiFunctionDeclaration,
  McpToolDefinition,
  OllamaToolDefinition,
  QuarantinedTool,
  ToolSchemaWarning,
  ToolsByTarget,
  ToolTarget,
} from "./tool-types.js";
export { TOOL_TARGETS } from "./tool-types.js";
export { toolWarningsToCore } from "./tool-warnings.js";
