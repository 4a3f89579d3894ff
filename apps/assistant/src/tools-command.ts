import type { McpToolset } from "@llmux/mcp";
import { type Output, truncate } from "./output.js";

const FORMATS = ["openai", "anthropic", "bedrock", "ollama", "gemini"] as const;

/** The customer server's tools, and how the first of them looks in each provider's format. */
export function toolsCommand(out: Output, toolset: McpToolset, tool?: string): Record<string, unknown> {
  const entries = toolset.list();
  out.heading(`MCP tools (${entries.length})`);
  out.table(
    ["tool", "description"],
    entries.map((e) => [e.tool.name, truncate(e.tool.description ?? "", 80)]),
  );
  const name = tool ?? entries[0]?.tool.name;
  const formats: Record<string, unknown> = {};
  for (const format of FORMATS) {
    const converted = toolset.tools(format) as unknown[];
    const index = entries.findIndex((e) => e.tool.name === name);
    formats[format] = converted[index] ?? converted;
  }
  out.heading(`"${name}" in each provider's format`);
  for (const [format, value] of Object.entries(formats)) {
    out.line(out.style("bold", format));
    out.line(JSON.stringify(value, null, 2));
  }
  return { tools: entries.map((e) => ({ name: e.tool.name, description: e.tool.description })), formats };
}
