export type { ConvertedOllamaPrompt } from "./convert-to-ollama-messages.js";
export { convertToOllamaMessages } from "./convert-to-ollama-messages.js";
export { mapOllamaFinishReason } from "./map-ollama-finish-reason.js";
export type { OllamaChatModelConfig } from "./ollama-chat-model.js";
export { OLLAMA_DEFAULT_HOST, OllamaChatModel, resolveOllamaHost } from "./ollama-chat-model.js";
export { mapOllamaError } from "./ollama-error.js";
export type { OllamaToolNames, PreparedOllamaTools } from "./ollama-prepare-tools.js";
export { prepareOllamaTools } from "./ollama-prepare-tools.js";
export type { OllamaModelInfo, OllamaProvider, OllamaProviderSettings } from "./ollama-provider.js";
export { createOllama } from "./ollama-provider.js";
export { ollamaToolCallId } from "./ollama-tool-call-id.js";
export type {
  OllamaChatBody,
  OllamaChatResponse,
  OllamaMessage,
  OllamaTool,
  OllamaToolCall,
} from "./ollama-wire-types.js";
