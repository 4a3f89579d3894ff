// OpenAI-compatible providers as data (Portkey-style parameter tables): where they live, which key
// they read, and how their wire differs from OpenAI's. The adapter reads this table; it has no
// per-provider branches of its own.

/** How a provider's Chat Completions dialect differs from OpenAI's. */
export interface OpenAICompatibleQuirks {
  /** Field that carries the output token limit. */
  maxTokensParam: "max_completion_tokens" | "max_tokens";
  /** Whether `stream_options: { include_usage: true }` is accepted (usage then arrives in a last chunk). */
  streamUsage: boolean;
  /** Whether `response_format: { type: "json_schema" }` is accepted (else it becomes `json_object`, with a warning). */
  jsonSchema: boolean;
  /** Whether `role: "developer"` is accepted (else sent as `system`). */
  developerRole: boolean;
  /** Whether assistant `reasoning_content` may be sent back in the history. */
  acceptsReasoningContentInput: boolean;
  /** Request fields the provider rejects: dropped with a warning. */
  unsupportedParams: readonly string[];
  /** Request fields renamed on the way out, e.g. Mistral's `seed` → `random_seed`. */
  renamedParams: Readonly<Record<string, string>>;
  /** `tool_choice: "required"` spelled the provider's way (Mistral: `"any"`). */
  toolChoiceRequired: string;
  /** Whether `completion_tokens` leaves out reasoning tokens (xAI), so llmux adds them. */
  completionExcludesReasoning: boolean;
}

export interface OpenAICompatiblePreset {
  /** Provider id: the first segment of model ids and `LlmuxError.provider`. */
  id: string;
  /** Human name for messages. */
  name: string;
  /** Default base URL; `undefined` when it is per account (Azure) and must be passed. */
  baseURL: string | undefined;
  /** Environment variable the API key is read from. */
  apiKeyEnv: string;
  /** Local servers (vLLM, LM Studio) run without a key. */
  apiKeyRequired: boolean;
  /** Environment variable that may override the base URL. */
  baseURLEnv?: string;
  quirks: OpenAICompatibleQuirks;
}

/** OpenAI's own dialect: every other preset lists only how it differs. */
export const OPENAI_QUIRKS: OpenAICompatibleQuirks = {
  maxTokensParam: "max_completion_tokens",
  streamUsage: true,
  jsonSchema: true,
  developerRole: true,
  acceptsReasoningContentInput: true,
  unsupportedParams: [],
  renamedParams: {},
  toolChoiceRequired: "required",
  completionExcludesReasoning: false,
};

const compat = (overrides: Partial<OpenAICompatibleQuirks>): OpenAICompatibleQuirks => ({
  ...OPENAI_QUIRKS,
  maxTokensParam: "max_tokens",
  developerRole: false,
  ...overrides,
});

/** The known OpenAI-compatible providers. */
export const OPENAI_COMPATIBLE_PRESETS = {
  openai: {
    id: "openai",
    name: "OpenAI",
    baseURL: "https://api.openai.com/v1",
    baseURLEnv: "OPENAI_BASE_URL",
    apiKeyEnv: "OPENAI_API_KEY",
    apiKeyRequired: true,
    quirks: OPENAI_QUIRKS,
  },
  azure: {
    // The v1 API of an Azure OpenAI resource: https://<resource>.openai.azure.com/openai/v1
    id: "azure",
    name: "Azure OpenAI",
    baseURL: undefined,
    baseURLEnv: "AZURE_OPENAI_BASE_URL",
    apiKeyEnv: "AZURE_OPENAI_API_KEY",
    apiKeyRequired: true,
    quirks: OPENAI_QUIRKS,
  },
  vllm: {
    id: "vllm",
    name: "vLLM",
    baseURL: "http://127.0.0.1:8000/v1",
    baseURLEnv: "VLLM_BASE_URL",
    apiKeyEnv: "VLLM_API_KEY",
    apiKeyRequired: false,
    quirks: compat({}),
  },
  lmstudio: {
    id: "lmstudio",
    name: "LM Studio",
    baseURL: "http://127.0.0.1:1234/v1",
    baseURLEnv: "LMSTUDIO_BASE_URL",
    apiKeyEnv: "LMSTUDIO_API_KEY",
    apiKeyRequired: false,
    quirks: compat({ streamUsage: false, unsupportedParams: ["parallel_tool_calls"] }),
  },
  groq: {
    id: "groq",
    name: "Groq",
    baseURL: "https://api.groq.com/openai/v1",
    apiKeyEnv: "GROQ_API_KEY",
    apiKeyRequired: true,
    quirks: compat({
      maxTokensParam: "max_completion_tokens",
      unsupportedParams: ["logit_bias", "logprobs"],
    }),
  },
  together: {
    id: "together",
    name: "Together AI",
    baseURL: "https://api.together.xyz/v1",
    apiKeyEnv: "TOGETHER_API_KEY",
    apiKeyRequired: true,
    quirks: compat({}),
  },
  openrouter: {
    id: "openrouter",
    name: "OpenRouter",
    baseURL: "https://openrouter.ai/api/v1",
    apiKeyEnv: "OPENROUTER_API_KEY",
    apiKeyRequired: true,
    quirks: compat({}),
  },
  mistral: {
    id: "mistral",
    name: "Mistral",
    baseURL: "https://api.mistral.ai/v1",
    apiKeyEnv: "MISTRAL_API_KEY",
    apiKeyRequired: true,
    quirks: compat({
      streamUsage: false,
      renamedParams: { seed: "random_seed" },
      unsupportedParams: ["stream_options", "user"],
      toolChoiceRequired: "any",
    }),
  },
  xai: {
    id: "xai",
    name: "xAI",
    baseURL: "https://api.x.ai/v1",
    apiKeyEnv: "XAI_API_KEY",
    apiKeyRequired: true,
    quirks: compat({
      maxTokensParam: "max_completion_tokens",
      acceptsReasoningContentInput: false,
      completionExcludesReasoning: true,
    }),
  },
  deepseek: {
    id: "deepseek",
    name: "DeepSeek",
    baseURL: "https://api.deepseek.com/v1",
    apiKeyEnv: "DEEPSEEK_API_KEY",
    apiKeyRequired: true,
    quirks: compat({
      acceptsReasoningContentInput: false,
      jsonSchema: false,
      unsupportedParams: ["seed", "parallel_tool_calls", "reasoning_effort"],
    }),
  },
  dashscope: {
    // Qwen on Alibaba Cloud Model Studio; region endpoints live in @llmux/provider-qwen.
    id: "qwen",
    name: "Qwen (DashScope)",
    baseURL: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
    apiKeyEnv: "DASHSCOPE_API_KEY",
    apiKeyRequired: true,
    quirks: compat({ acceptsReasoningContentInput: false, unsupportedParams: ["reasoning_effort"] }),
  },
} as const satisfies Record<string, OpenAICompatiblePreset>;

export type OpenAICompatiblePresetName = keyof typeof OPENAI_COMPATIBLE_PRESETS;
