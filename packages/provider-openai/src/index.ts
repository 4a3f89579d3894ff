export type { OpenAIWireMessage } from "./convert-to-openai-messages.js";
export { convertToOpenAIMessages } from "./convert-to-openai-messages.js";
export { convertToOpenAIRequest } from "./convert-to-openai-request.js";
export {
  mapOpenAIChunk,
  mapOpenAIFinishReason,
  mapOpenAIResult,
  mapOpenAIUsage,
} from "./map-openai-response.js";
export type { OpenAIChatModelConfig } from "./openai-chat-model.js";
export { OpenAIChatModel } from "./openai-chat-model.js";
export { mapOpenAIError } from "./openai-error.js";
export type { HttpTransportConfig, OpenAIHttpTransport } from "./openai-http-transport.js";
export type {
  OpenAICompatiblePreset,
  OpenAICompatiblePresetName,
  OpenAICompatibleQuirks,
} from "./openai-presets.js";
export { OPENAI_COMPATIBLE_PRESETS, OPENAI_QUIRKS } from "./openai-presets.js";
export type { OpenAIProvider, OpenAIProviderSettings } from "./openai-provider.js";
export { createOpenAI } from "./openai-provider.js";
