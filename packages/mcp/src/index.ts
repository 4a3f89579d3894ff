export type { ConnectMcpOptions, HttpServerOptions, StdioServerOptions } from "./connect-mcp.js";
export { connectMcp } from "./connect-mcp.js";
export { listMcpTools } from "./list-mcp-tools.js";
export type { LoadMcpToolsOptions } from "./load-mcp-tools.js";
export { callOpenAITool, loadMcpTools } from "./load-mcp-tools.js";
export type { McpToolFormat, McpToolFormats } from "./mcp-tool-formats.js";
export { MCP_TOOL_FORMATS } from "./mcp-tool-formats.js";
export type {
  McpServerEntry,
  McpToolEntry,
  McpToolsetOptions,
  ToolCallOptions,
  ToolExecutor,
} from "./mcp-toolset.js";
export { McpToolset } from "./mcp-toolset.js";
export type {
  RunToolLoopOptions,
  ToolLoopOptions,
  ToolLoopResult,
  ToolLoopStep,
  ToolLoopStopReason,
} from "./run-tool-loop.js";
export { DEFAULT_MAX_STEPS, runToolLoop } from "./run-tool-loop.js";
export type { ToolLoopEvent } from "./stream-tool-loop.js";
export { streamToolLoop } from "./stream-tool-loop.js";
export type { McpCallToolResult, ToolResultContent } from "./tool-result-to-content.js";
export { toolResultToContent } from "./tool-result-to-content.js";
export { dropNullOptionalArguments, validateToolArguments } from "./validate-tool-arguments.js";
