export type { ChatChunk, ChatMessage, ChatModel, ChatRequest, ChatResult, ChatTool } from "@llmux/core";
export { isLlmuxError, LlmuxError } from "@llmux/core";
export {
  callOpenAITool,
  connectMcp,
  loadMcpTools,
  McpToolset,
  runToolLoop,
  streamToolLoop,
} from "@llmux/mcp";
export { calculateCost } from "@llmux/pricing";
export type { DecisionTrace, Router } from "@llmux/router";
export { formatDecisionTrace, getDecisionTrace } from "@llmux/router";
export type { CompletionRequest } from "./completion.js";
export { completion, completionCost, streamCompletion } from "./completion.js";
export type { LlmuxRouterConfig } from "./create-router.js";
export { createRouter, loadConfig, parseConfig } from "./create-router.js";
export type { ProviderFactory, ProviderParams } from "./provider-registry.js";
export { knownProviders, preloadProviders, registerProvider } from "./provider-registry.js";
export type { LazyChatModel, ResolveOptions } from "./resolve-model.js";
export { resolveModel } from "./resolve-model.js";
