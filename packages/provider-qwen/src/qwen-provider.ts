import {
  accumulateStream,
  type CallOptions,
  type ChatChunk,
  type ChatModel,
  type ChatRequest,
  type ChatResult,
} from "@llmux/core";
import { createOpenAI, OPENAI_COMPATIBLE_PRESETS, type OpenAIProviderSettings } from "@llmux/provider-openai";
import { QWEN_ENDPOINTS, type QwenRegion } from "./qwen-endpoints.js";
import { parseQwenThinkingOptions } from "./qwen-thinking-options.js";

export interface QwenProviderSettings extends Omit<OpenAIProviderSettings, "preset"> {
  /** Which DashScope region to call (default `"intl"`, Singapore). Ignored when `baseURL` is set. */
  region?: QwenRegion;
}

export interface QwenProvider {
  readonly id: "qwen";
  /** A `ChatModel` with id `"qwen/<model>"`, e.g. `"qwen-plus"`, `"qwen3-max"`. */
  chatModel(model: string): ChatModel;
}

/** Validates thinking options, and streams under the hood when thinking is on (DashScope refuses it without streaming). */
class QwenChatModel implements ChatModel {
  readonly id: string;
  constructor(private readonly inner: ChatModel) {
    this.id = inner.id;
  }

  async chat(request: ChatRequest, options?: CallOptions): Promise<ChatResult> {
    const thinking = parseQwenThinkingOptions(request.providerOptions?.qwen);
    if (thinking.enable_thinking) return accumulateStream(this.inner.stream(request, options));
    return this.inner.chat(request, options);
  }

  stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatChunk> {
    parseQwenThinkingOptions(request.providerOptions?.qwen);
    return this.inner.stream(request, options);
  }
}

/**
 * Qwen on Alibaba Cloud Model Studio (DashScope) through its OpenAI-compatible endpoint for a region.
 * Key from `DASHSCOPE_API_KEY`; thinking via `providerOptions.qwen` (`enable_thinking`, `thinking_budget`);
 * reasoning arrives as `reasoning_content`.
 *
 * @example
 * const model = createQwen({ region: "cn" }).chatModel("qwen-plus");
 * await model.chat({ messages, providerOptions: { qwen: { enable_thinking: true, thinking_budget: 2048 } } });
 */
export function createQwen(settings: QwenProviderSettings = {}): QwenProvider {
  const { region = "intl", ...rest } = settings;
  const preset = { ...OPENAI_COMPATIBLE_PRESETS.dashscope, baseURL: QWEN_ENDPOINTS[region] };
  const provider = createOpenAI({ ...rest, preset });
  return { id: "qwen", chatModel: (model) => new QwenChatModel(provider.chatModel(model)) };
}
