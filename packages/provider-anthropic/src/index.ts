export type { AnthropicChatModelConfig } from "./anthropic-chat-model.js";
export { ANTHROPIC_DEFAULT_BASE_URL, AnthropicChatModel } from "./anthropic-chat-model.js";
export { mapAnthropicError } from "./anthropic-error.js";
export { DEFAULT_ANTHROPIC_MAX_TOKENS, defaultAnthropicMaxTokens } from "./anthropic-max-tokens.js";
export type { PreparedAnthropicTools, ToolNames } from "./anthropic-prepare-tools.js";
export { prepareAnthropicTools } from "./anthropic-prepare-tools.js";
export type { AnthropicProvider, AnthropicProviderSettings } from "./anthropic-provider.js";
export { createAnthropic } from "./anthropic-provider.js";
export { AnthropicStreamMapper } from "./anthropic-stream-mapper.js";
export { convertAnthropicUsage } from "./anthropic-usage.js";
export type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicRequestBody,
  AnthropicResponse,
  AnthropicStreamEvent,
  AnthropicTool,
  AnthropicToolChoice,
  AnthropicUsage,
} from "./anthropic-wire-types.js";
export type { ConvertedAnthropicPrompt } from "./convert-to-anthropic-messages.js";
export { convertToAnthropicMessages, toAnthropicToolUseId } from "./convert-to-anthropic-messages.js";
export { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";
