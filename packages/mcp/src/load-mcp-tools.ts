import type { ToolCall, ToolMessage } from "@llmux/core";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { McpToolFormat, McpToolFormats } from "./mcp-tool-formats.js";
import { type McpServerEntry, McpToolset, type ToolCallOptions } from "./mcp-toolset.js";

// One toolset per client (the last `loadMcpTools` view), so names handed out by `loadMcpTools` decode
// in `callOpenAITool`, and calls reach only the tools that were loaded.
const toolsets = new WeakMap<Client, { toolset: McpToolset; filter: string }>();

async function toolsetFor(
  client: Client,
  filter: Pick<McpServerEntry, "allow" | "deny"> | undefined,
): Promise<McpToolset> {
  const key = JSON.stringify([filter?.allow ?? null, filter?.deny ?? null]);
  const cached = toolsets.get(client);
  if (cached && (filter === undefined || cached.filter === key)) {
    if (filter !== undefined) await cached.toolset.refresh();
    return cached.toolset;
  }
  const toolset = await McpToolset.fromClient(client, { allow: filter?.allow, deny: filter?.deny });
  toolsets.set(client, { toolset, filter: key });
  return toolset;
}

export interface LoadMcpToolsOptions<F extends McpToolFormat> extends Pick<McpServerEntry, "allow" | "deny"> {
  /** `"openai"` (default), `"anthropic"`, `"ollama"`, `"bedrock"`, `"gemini"`, or `"mcp"` (unchanged). */
  format?: F;
  /** OpenAI only: strict tools where possible. */
  strict?: boolean;
}

function isToolset(value: unknown): value is McpToolset {
  return value instanceof McpToolset;
}

/**
 * Lists an MCP server's tools in a provider's format: the article's `load_mcp_tools(session, format="openai")`.
 *
 * @example
 * const tools = await loadMcpTools(client, { format: "openai" });
 * const result = await model.chat({ messages, tools });
 */
export async function loadMcpTools<F extends McpToolFormat = "openai">(
  source: Client | McpToolset,
  options: LoadMcpToolsOptions<F> = {},
): Promise<McpToolFormats[F][]> {
  const format = (options.format ?? "openai") as F;
  const toolset = isToolset(source)
    ? source
    : await toolsetFor(source, { allow: options.allow, deny: options.deny });
  return toolset.tools(format, { strict: options.strict });
}

/**
 * Executes an OpenAI-shaped tool call on an MCP client or toolset and returns the tool message.
 * Malformed JSON, schema-invalid arguments, unknown tools, tool errors and timeouts come back as
 * `is_error` messages the model can read; never silently `{}`.
 *
 * @example
 * for (const call of message.tool_calls ?? []) messages.push(await callOpenAITool(client, call));
 */
export async function callOpenAITool(
  target: Client | McpToolset,
  toolCall: ToolCall,
  options: ToolCallOptions = {},
): Promise<ToolMessage> {
  const toolset = isToolset(target) ? target : await toolsetFor(target, undefined);
  return toolset.call(toolCall, options);
}
