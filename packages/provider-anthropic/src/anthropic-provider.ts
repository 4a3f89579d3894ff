import { AnthropicChatModel, type AnthropicChatModelConfig } from "./anthropic-chat-model.js";

export type AnthropicProviderSettings = AnthropicChatModelConfig;

/** Makes Anthropic chat models: `anthropic("claude-sonnet-4-0")`. */
export interface AnthropicProvider {
  (model: string): AnthropicChatModel;
  chatModel(model: string): AnthropicChatModel;
}

/**
 * Creates an Anthropic provider. The key defaults to `ANTHROPIC_API_KEY`; `baseURL` to the public API.
 *
 * @example
 * const anthropic = createAnthropic();
 * const result = await anthropic("claude-sonnet-4-0").chat({ messages: [{ role: "user", content: "Hi" }] });
 */
export function createAnthropic(settings: AnthropicProviderSettings = {}): AnthropicProvider {
  const make = (model: string) => new AnthropicChatModel(model, settings);
  const provider = ((model: string) => make(model)) as AnthropicProvider;
  provider.chatModel = make;
  return provider;
}
