import {
  createOpenAI,
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAIChatModel,
  type OpenAIProviderSettings,
} from "@llmux/provider-openai";

export type DeepSeekProviderSettings = Omit<OpenAIProviderSettings, "preset">;

export interface DeepSeekProvider {
  readonly id: "deepseek";
  /** A `ChatModel` with id `"deepseek/<model>"`, e.g. `"deepseek-chat"` or `"deepseek-reasoner"`. */
  chatModel(model: string): OpenAIChatModel;
}

/**
 * DeepSeek over its OpenAI-compatible API: the key comes from `DEEPSEEK_API_KEY`, `reasoning_content`
 * is returned on results and chunks, and is never sent back in the history (the API answers 400).
 *
 * @example
 * const model = createDeepSeek().chatModel("deepseek-reasoner");
 * const { choices } = await model.chat({ messages: [{ role: "user", content: "9.11 or 9.8?" }] });
 * console.log(choices[0].message.reasoning_content);
 */
export function createDeepSeek(settings: DeepSeekProviderSettings = {}): DeepSeekProvider {
  const provider = createOpenAI({ ...settings, preset: OPENAI_COMPATIBLE_PRESETS.deepseek });
  return { id: "deepseek", chatModel: (model) => provider.chatModel(model) };
}
