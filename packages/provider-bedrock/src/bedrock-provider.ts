import { BedrockChatModel, type BedrockChatModelConfig } from "./bedrock-chat-model.js";

export type BedrockProviderSettings = BedrockChatModelConfig;

/** Makes Bedrock chat models: `bedrock("anthropic.claude-3-5-sonnet-20240620-v1:0")`. */
export interface BedrockProvider {
  (modelId: string): BedrockChatModel;
  chatModel(modelId: string): BedrockChatModel;
}

/**
 * Creates a Bedrock provider. Region and credentials come from the standard AWS chain unless given.
 *
 * @example
 * const bedrock = createBedrock({ region: "us-east-1" });
 * const result = await bedrock("amazon.nova-micro-v1:0").chat({ messages: [{ role: "user", content: "Hi" }] });
 */
export function createBedrock(settings: BedrockProviderSettings = {}): BedrockProvider {
  const make = (modelId: string) => new BedrockChatModel(modelId, settings);
  const provider = ((modelId: string) => make(modelId)) as BedrockProvider;
  provider.chatModel = make;
  return provider;
}
