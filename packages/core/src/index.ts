export { accumulateStream, StreamAccumulator } from "./accumulate-stream.js";
export type { CallSignal } from "./call-signal.js";
export { createCallSignal } from "./call-signal.js";
export type { CallOptions, ChatModel } from "./chat-model.js";
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
  ThinkingBlock,
  ToolCall,
  ToolCallDelta,
  ToolChoice,
  ToolMessage,
  Usage,
  UserMessage,
  Warning,
} from "./chat-types.js";
export type { BatchedChatStream } from "./chunk-batches.js";
export { batchedChatStream, CHUNK_BATCHES, chunkBatches } from "./chunk-batches.js";
export { generateId } from "./ids.js";
export type { ErrorKind, HttpErrorInput, LlmuxErrorOptions } from "./llmux-error.js";
export {
  classifyHttpError,
  ERROR_KINDS,
  findConnectionErrorCode,
  isCallerErrorKind,
  isLlmuxError,
  LlmuxError,
  parseRetryAfter,
  redactSecrets,
} from "./llmux-error.js";
export type { Logger } from "./logger.js";
export { silentLogger } from "./logger.js";
export type { DataUrl } from "./message-content.js";
export { contentToText, parseDataUrl } from "./message-content.js";
export type { ModelId } from "./model-id.js";
export { formatModelId, parseModelId } from "./model-id.js";
export { resultToChunks } from "./result-to-chunks.js";
export type { SignedThinkingBlock } from "./thinking-blocks.js";
export { signedThinkingBlocks } from "./thinking-blocks.js";
export type { RawUsage, UsageBreakdown } from "./usage.js";
export { addUsage, normalizeUsage, usageBreakdown } from "./usage.js";
