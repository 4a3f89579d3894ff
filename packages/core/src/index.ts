export type {
  AssistantMessage,
  ChatChoice,
  ChatChunk,
  ChatMessage,
  ChatRequest,
  ChatResult,
  ChatRole,
  ChatTool,
  ChunkChoice,
  ChunkDelta,
  ContentPart,
  FilePart,
  FinishReason,
  FunctionDefinition,
  ImagePart,
  InputAudioPart,
  JsonSchema,
  JsonValue,
  ProviderOptions,
  ResponseFormat,
  ResultMetadata,
  SystemMessage,
  TextPart,
  ToolCall,
  ToolCallDelta,
  ToolChoice,
  ToolMessage,
  Usage,
  UserMessage,
  Warning,
} from "./chat-types.js";
export type { CallOptions, ChatModel } from "./chat-model.js";
export {
  ERROR_KINDS,
  LlmuxError,
  classifyHttpError,
  findConnectionErrorCode,
  isCallerErrorKind,
  isLlmuxError,
  parseRetryAfter,
  redactSecrets,
} from "./llmux-error.js";
export type { ErrorKind, HttpErrorInput, LlmuxErrorOptions } from "./llmux-error.js";
export { StreamAccumulator, accumulateStream } from "./accumulate-stream.js";
export { addUsage, normalizeUsage, usageBreakdown } from "./usage.js";
export type { RawUsage, UsageBreakdown } from "./usage.js";
export { formatModelId, parseModelId } from "./model-id.js";
export type { ModelId } from "./model-id.js";
export { createCallSignal } from "./call-signal.js";
export type { CallSignal } from "./call-signal.js";
export { contentToText, parseDataUrl } from "./message-content.js";
export type { DataUrl } from "./message-content.js";
export { resultToChunks } from "./result-to-chunks.js";
export { generateId } from "./ids.js";
export { silentLogger } from "./logger.js";
export type { Logger } from "./logger.js";
