// The request and response shapes are OpenAI Chat Completions: the lingua franca users, SDKs and
// gateways already speak. Adapters translate them to each provider's wire format and back.

/** JSON Schema as sent to providers (kept open: providers accept different subsets). */
export type JsonSchema = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface TextPart {
  type: "text";
  text: string;
}

export interface ImagePart {
  type: "image_url";
  /** `https://…` or a `data:image/png;base64,…` URL. */
  image_url: { url: string; detail?: "auto" | "low" | "high" };
}

export interface InputAudioPart {
  type: "input_audio";
  input_audio: { data: string; format: "wav" | "mp3" };
}

export interface FilePart {
  type: "file";
  file: { file_data?: string; file_id?: string; filename?: string };
}

export type ContentPart = TextPart | ImagePart | InputAudioPart | FilePart;

export interface SystemMessage {
  role: "system" | "developer";
  content: string | TextPart[];
  name?: string;
}

export interface UserMessage {
  role: "user";
  content: string | ContentPart[];
  name?: string;
}

export interface ToolCall {
  id: string;
  type: "function";
  function: {
    name: string;
    /** JSON text, exactly as the model produced it (it may be malformed: callers validate). */
    arguments: string;
  };
}

/**
 * A provider's reasoning block, kept verbatim so it can be sent back (LiteLLM's `thinking_blocks`).
 * Anthropic requires the signed thinking blocks of a turn that called tools to come back with it
 * when extended thinking is on; other adapters ignore them.
 */
export type ThinkingBlock =
  | { type: "thinking"; thinking: string; signature?: string }
  | { type: "redacted_thinking"; data: string };

export interface AssistantMessage {
  role: "assistant";
  content?: string | TextPart[] | null;
  tool_calls?: ToolCall[];
  name?: string;
  refusal?: string | null;
  /** Reasoning text some providers return (DeepSeek, Qwen, Anthropic thinking). Never required on input. */
  reasoning_content?: string | null;
  /** llmux extension: reasoning blocks with their signatures (Anthropic), to send back unchanged in the history. */
  thinking_blocks?: ThinkingBlock[];
}

export interface ToolMessage {
  role: "tool";
  tool_call_id: string;
  /** Text, or parts (llmux extension: images from MCP tool results; adapters map what their provider accepts). */
  content: string | ContentPart[];
  /** llmux extension: the tool failed. Mapped to Anthropic `is_error`, Bedrock `status: "error"`. */
  is_error?: boolean;
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;
export type ChatRole = ChatMessage["role"];

export interface FunctionDefinition {
  name: string;
  description?: string;
  parameters?: JsonSchema;
  strict?: boolean;
}

export interface ChatTool {
  type: "function";
  function: FunctionDefinition;
}

export type ToolChoice = "none" | "auto" | "required" | { type: "function"; function: { name: string } };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: { name: string; description?: string; schema?: JsonSchema; strict?: boolean };
    };

/** Per-provider options, namespaced by provider id: `{ anthropic: { thinking: … }, ollama: { keep_alive: "5m" } }`. */
export type ProviderOptions = Record<string, Record<string, unknown>>;

export interface ChatRequest {
  /** Optional: a provider `ChatModel` knows its model; a router reads this as the model group. */
  model?: string;
  messages: ChatMessage[];
  tools?: ChatTool[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: ResponseFormat;
  temperature?: number;
  top_p?: number;
  /** Legacy OpenAI name; adapters treat it like `max_completion_tokens`. */
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string | string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  reasoning_effort?: "minimal" | "low" | "medium" | "high";
  user?: string;
  stream_options?: { include_usage?: boolean };
  /** Free-form request metadata (tags for routing, tracing ids). Never sent to providers by llmux. */
  metadata?: Record<string, string>;
  providerOptions?: ProviderOptions;
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

/** OpenAI-shaped usage, normalised: `prompt_tokens` counts every input token, cached ones included. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: {
    /** Input tokens read from a prompt cache (billed at the cached-read price). */
    cached_tokens?: number;
    /** Input tokens written to a prompt cache (Anthropic/Bedrock cache creation). */
    cache_write_tokens?: number;
  };
  completion_tokens_details?: {
    /** Output tokens spent on reasoning (already counted in `completion_tokens`). */
    reasoning_tokens?: number;
  };
}

export interface Warning {
  type: "unsupported-setting" | "unsupported-content" | "other";
  /** The request field concerned, e.g. `"seed"` or `"messages[3].content[1]"`. */
  setting?: string;
  message: string;
}

/** What llmux adds to a result, beside the OpenAI fields. Stripped by the gateway unless asked for. */
export interface ResultMetadata {
  /** Provider that produced the answer, e.g. `"anthropic"`. */
  provider?: string;
  /** Deployment (router) that produced the answer. */
  deployment?: string;
  warnings?: Warning[];
  /** Cost in USD; `null` when the price is unknown (never a silent 0). */
  costUsd?: number | null;
  latencyMs?: number;
  attempts?: number;
  /** The router's decision trace (typed by `@llmux/router`). */
  trace?: unknown;
}

export interface ChatChoice {
  index: number;
  message: AssistantMessage & { content: string | null };
  finish_reason: FinishReason;
  logprobs?: null;
}

export interface ChatResult {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: ChatChoice[];
  usage?: Usage;
  system_fingerprint?: string;
  llmux?: ResultMetadata;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

export interface ChunkDelta {
  role?: "assistant";
  content?: string | null;
  reasoning_content?: string | null;
  refusal?: string | null;
  tool_calls?: ToolCallDelta[];
  /** llmux extension: complete reasoning blocks, each sent once it has ended (its text also streamed as `reasoning_content`). */
  thinking_blocks?: ThinkingBlock[];
}

export interface ChunkChoice {
  index: number;
  delta: ChunkDelta;
  finish_reason: FinishReason | null;
  logprobs?: null;
}

export interface ChatChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: ChunkChoice[];
  /** Present on the last chunk when usage is known (OpenAI sends it with empty `choices`). */
  usage?: Usage | null;
  system_fingerprint?: string;
  llmux?: ResultMetadata;
}
