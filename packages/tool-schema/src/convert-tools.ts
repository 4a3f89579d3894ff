import type { ChatTool, JsonSchema } from "@llmux/core";
import { sanitizeSchema } from "./sanitize-schema.js";
import { ToolNameCodec } from "./tool-name-codec.js";
import {
  type AnthropicToolDefinition,
  type BedrockToolConfigDefinition,
  type BedrockToolDefinition,
  type GeminiFunctionDeclaration,
  type McpToolDefinition,
  type OllamaToolDefinition,
  type QuarantinedTool,
  TOOL_TARGETS,
  type ToolSchemaWarning,
  type ToolsByTarget,
  type ToolTarget,
} from "./tool-types.js";

export interface ConvertToolsOptions<T extends ToolTarget = ToolTarget> {
  target: T;
  /** OpenAI only: emit strict (Structured Outputs) tools where the schema allows it. */
  strict?: boolean;
  /** Server name for every tool in this call; names become `<prefix>__<name>`. */
  prefix?: string;
  /** Reuse a codec (tools from several servers in one request). Must be for the same target. */
  codec?: ToolNameCodec;
}

export interface ConvertedTools<T extends ToolTarget = ToolTarget> {
  tools: ToolsByTarget[T][];
  warnings: ToolSchemaWarning[];
  quarantined: QuarantinedTool[];
  /** Maps the provider names in `tools` back to MCP names: `codec.decode(toolCall.function.name)`. */
  codec: ToolNameCodec;
}

// OpenAI rejects requests with more than 128 tools.
const OPENAI_MAX_TOOLS = 128;

function describe(tool: McpToolDefinition): string | undefined {
  const description = typeof tool.description === "string" ? tool.description.trim() : "";
  if (description) return tool.description;
  const title = tool.title ?? tool.annotations?.title;
  return typeof title === "string" && title.trim() ? title : undefined;
}

/**
 * Converts MCP tool definitions to one provider's tool format. Never throws for a bad tool: it is
 * quarantined with a reason and the rest convert; every change is reported in `warnings`.
 *
 * @example
 * const { tools, codec } = convertTools(mcpTools, { target: "anthropic", prefix: "crm" });
 * // later: codec.decode(toolUse.name) → { server: "crm", name: "create_support_ticket" }
 */
export function convertTools<T extends ToolTarget>(
  tools: readonly McpToolDefinition[],
  options: ConvertToolsOptions<T>,
): ConvertedTools<T> {
  const { target } = options;
  if (!TOOL_TARGETS.includes(target)) {
    throw new TypeError(
      `options.target must be one of ${TOOL_TARGETS.join(", ")}; got ${JSON.stringify(target)}`,
    );
  }
  const codec = options.codec ?? new ToolNameCodec(target);
  if (codec.target !== target) {
    throw new TypeError(
      `options.codec is for "${codec.target}" but options.target is "${target}"; use one codec per target`,
    );
  }
  const out: ToolsByTarget[T][] = [];
  const warnings: ToolSchemaWarning[] = [];
  const quarantined: QuarantinedTool[] = [];
  const list = Array.isArray(tools) ? tools : [];
  for (let i = 0; i < list.length; i++) {
    const tool = list[i];
    const label = typeof tool?.name === "string" && tool.name !== "" ? tool.name : `tools[${i}]`;
    if (
      typeof tool !== "object" ||
      tool === null ||
      typeof tool.name !== "string" ||
      tool.name.trim() === ""
    ) {
      quarantined.push({ tool: label, target, reason: `tools[${i}].name must be a non-empty string` });
      continue;
    }
    const sanitized = sanitizeSchema(tool.inputSchema, target, { strict: options.strict });
    for (const issue of sanitized.issues) {
      // The issues are fresh objects: complete them in place instead of copying.
      const warning = issue as ToolSchemaWarning;
      warning.tool = tool.name;
      warning.target = target;
      warnings.push(warning);
    }
    if (sanitized.error || !sanitized.schema) {
      quarantined.push({
        tool: tool.name,
        target,
        reason: sanitized.error ?? "the input schema cannot be converted",
      });
      continue;
    }
    const schema = sanitized.schema;
    const name = codec.encode(tool.name, options.prefix);
    if (name !== tool.name) {
      warnings.push({
        tool: tool.name,
        target,
        code: "renamed",
        path: "",
        message: `name sent as "${name}" (${target} tool names: ${target === "gemini" ? "letter or _ first, [a-zA-Z0-9_-], max 63" : "[a-zA-Z0-9_-], max 64"}${options.prefix ? `, server prefix "${options.prefix}"` : ""}); codec.decode maps it back`,
      });
    }
    const description = describe(tool);
    let converted: ToolsByTarget[ToolTarget];
    switch (target) {
      case "openai": {
        const fn: ChatTool["function"] = { name };
        if (description) fn.description = description;
        fn.parameters = schema;
        if (options.strict) fn.strict = sanitized.strictUnavailable === undefined;
        converted = { type: "function", function: fn };
        break;
      }
      case "anthropic": {
        const t: AnthropicToolDefinition = { name, input_schema: schema };
        if (description) t.description = description;
        converted = t;
        break;
      }
      case "ollama": {
        const t: OllamaToolDefinition = { type: "function", function: { name, parameters: schema } };
        if (description) t.function.description = description;
        converted = t;
        break;
      }
      case "bedrock": {
        // Converse requires a non-empty description.
        if (!description) {
          warnings.push({
            tool: tool.name,
            target,
            code: "description-fallback",
            path: "",
            message: "Bedrock requires a description; the tool name was used",
          });
        }
        const t: BedrockToolDefinition = {
          toolSpec: { name, description: description ?? tool.name, inputSchema: { json: schema } },
        };
        converted = t;
        break;
      }
      case "gemini": {
        const t: GeminiFunctionDeclaration = { name };
        if (description) t.description = description;
        // Gemini rejects an OBJECT with empty properties: a no-argument function has no parameters.
        const props = schema.properties;
        if (props && typeof props === "object" && !Array.isArray(props) && Object.keys(props).length > 0) {
          t.parameters = schema;
        }
        converted = t;
        break;
      }
      default:
        throw new TypeError(
          `options.target must be one of openai, anthropic, ollama, bedrock, gemini; got ${JSON.stringify(target)}`,
        );
    }
    out.push(converted as ToolsByTarget[T]);
  }
  if (target === "openai" && out.length > OPENAI_MAX_TOOLS) {
    warnings.push({
      tool: "*",
      target,
      code: "too-many-tools",
      path: "",
      message: `${out.length} tools; OpenAI accepts at most ${OPENAI_MAX_TOOLS} per request (filter them, e.g. with an allow list)`,
    });
  }
  return { tools: out, warnings, quarantined, codec };
}

/** MCP tools → OpenAI Chat Completions function tools (`strict` optional). */
export function toOpenAITools(
  tools: readonly McpToolDefinition[],
  options: Omit<ConvertToolsOptions<"openai">, "target"> = {},
): ConvertedTools<"openai"> {
  return convertTools(tools, { ...options, target: "openai" });
}

/** MCP tools → Anthropic Messages `tools` (`input_schema`). */
export function toAnthropicTools(
  tools: readonly McpToolDefinition[],
  options: Omit<ConvertToolsOptions<"anthropic">, "target" | "strict"> = {},
): ConvertedTools<"anthropic"> {
  return convertTools(tools, { ...options, target: "anthropic" });
}

/** MCP tools → Ollama `/api/chat` tools. */
export function toOllamaTools(
  tools: readonly McpToolDefinition[],
  options: Omit<ConvertToolsOptions<"ollama">, "target" | "strict"> = {},
): ConvertedTools<"ollama"> {
  return convertTools(tools, { ...options, target: "ollama" });
}

/** MCP tools → Bedrock Converse tools, plus the ready `toolConfig` (`{ tools: [{ toolSpec }] }`). */
export function toBedrockTools(
  tools: readonly McpToolDefinition[],
  options: Omit<ConvertToolsOptions<"bedrock">, "target" | "strict"> = {},
): ConvertedTools<"bedrock"> & { toolConfig: BedrockToolConfigDefinition } {
  const converted = convertTools(tools, { ...options, target: "bedrock" });
  return { ...converted, toolConfig: { tools: converted.tools } };
}

/** MCP tools → Gemini `functionDeclarations` (put them in `tools: [{ functionDeclarations }]`). */
export function toGeminiTools(
  tools: readonly McpToolDefinition[],
  options: Omit<ConvertToolsOptions<"gemini">, "target" | "strict"> = {},
): ConvertedTools<"gemini"> {
  return convertTools(tools, { ...options, target: "gemini" });
}

/** OpenAI-shaped tools (`ChatTool[]`, what `@llmux/core` requests carry) seen as MCP definitions. */
export function chatToolsToMcp(tools: readonly ChatTool[]): McpToolDefinition[] {
  return (Array.isArray(tools) ? tools : []).map((tool) => {
    const fn = tool?.function;
    const def: McpToolDefinition = { name: typeof fn?.name === "string" ? fn.name : "" };
    if (typeof fn?.description === "string") def.description = fn.description;
    if (fn?.parameters !== undefined) def.inputSchema = fn.parameters as JsonSchema;
    return def;
  });
}

export type ChatToolsConversion<T extends ToolTarget> = ConvertedTools<T>;

/** `ChatTool[]` → Anthropic tools; `codec.decode(tool_use.name)?.name` gives the request's name back. */
export function chatToolsToAnthropic(tools: readonly ChatTool[]): ChatToolsConversion<"anthropic"> {
  return convertTools(chatToolsToMcp(tools), { target: "anthropic" });
}

/** `ChatTool[]` → Bedrock Converse tools and `toolConfig`. */
export function chatToolsToBedrock(
  tools: readonly ChatTool[],
): ChatToolsConversion<"bedrock"> & { toolConfig: BedrockToolConfigDefinition } {
  return toBedrockTools(chatToolsToMcp(tools));
}

/** `ChatTool[]` → Ollama tools (schemas reduced to what Ollama reads). */
export function chatToolsToOllama(tools: readonly ChatTool[]): ChatToolsConversion<"ollama"> {
  return convertTools(chatToolsToMcp(tools), { target: "ollama" });
}

/** `ChatTool[]` → Gemini function declarations. */
export function chatToolsToGemini(tools: readonly ChatTool[]): ChatToolsConversion<"gemini"> {
  return convertTools(chatToolsToMcp(tools), { target: "gemini" });
}

/** `ChatTool[]` → OpenAI tools with sanitised schemas (e.g. before sending MCP-derived tools to OpenAI). */
export function chatToolsToOpenAI(
  tools: readonly ChatTool[],
  options: { strict?: boolean } = {},
): ChatToolsConversion<"openai"> {
  return convertTools(chatToolsToMcp(tools), { target: "openai", strict: options.strict });
}
