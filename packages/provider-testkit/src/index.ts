export type { FakeAnthropicOptions, FakeAnthropicServer } from "./fake-anthropic-server.js";
export { startFakeAnthropic } from "./fake-anthropic-server.js";
export type { BedrockExceptionName, FakeBedrockOptions, FakeBedrockServer } from "./fake-bedrock-server.js";
export { startFakeBedrock } from "./fake-bedrock-server.js";
export type { FakeOllamaOptions } from "./fake-ollama-server.js";
export { startFakeOllama } from "./fake-ollama-server.js";
export type { FakeOpenAIOptions, FakeOpenAIServer } from "./fake-openai-server.js";
export {
  normalizeOpenAIRequest,
  openAIErrorBody,
  renderOpenAICompletion,
  renderOpenAIError,
  renderOpenAIStream,
  startFakeOpenAI,
} from "./fake-openai-server.js";
export type {
  FakeProviderKind,
  FakeProviderServer,
  NormalizedMessage,
  NormalizedRequest,
  RecordedRequest,
  ScriptedError,
  ScriptedReply,
  ScriptedToolCall,
  ScriptedUsage,
} from "./fake-provider-server.js";
export type { SimulatedChatModel, SimulatedModelOptions } from "./simulated-chat-model.js";
export { createSimulatedModel, SIMULATED_LABEL, SIMULATED_NOTICE } from "./simulated-chat-model.js";
export { fakeThinkingSignature, validateAnthropicRequest } from "./validate-anthropic-request.js";
export { validateBedrockRequest } from "./validate-bedrock-request.js";
export { validateOllamaRequest } from "./validate-ollama-request.js";
export type { OpenAIRequestProblem, ValidateOpenAIOptions } from "./validate-openai-request.js";
export { validateOpenAIRequest } from "./validate-openai-request.js";
