export type { BedrockChatModelConfig } from "./bedrock-chat-model.js";
export { BedrockChatModel } from "./bedrock-chat-model.js";
export { mapBedrockError } from "./bedrock-error.js";
export { toBedrockIdentifier } from "./bedrock-ids.js";
export type { BedrockToolNames, PreparedBedrockTools } from "./bedrock-prepare-tools.js";
export { prepareBedrockTools } from "./bedrock-prepare-tools.js";
export type { BedrockProvider, BedrockProviderSettings } from "./bedrock-provider.js";
export { createBedrock } from "./bedrock-provider.js";
export { convertBedrockUsage } from "./bedrock-usage.js";
export type {
  BedrockContentBlock,
  BedrockConverseInput,
  BedrockConverseOutput,
  BedrockMessage,
  BedrockStreamEvent,
  BedrockToolConfig,
  BedrockToolSpec,
  BedrockUsage,
} from "./bedrock-wire-types.js";
export type { ConvertedBedrockPrompt } from "./convert-to-bedrock-messages.js";
export { convertToBedrockMessages } from "./convert-to-bedrock-messages.js";
export { mapBedrockStopReason } from "./map-bedrock-stop-reason.js";
