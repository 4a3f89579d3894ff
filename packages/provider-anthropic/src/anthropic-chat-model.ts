import Anthropic from "@anthropic-ai/sdk";
import {
  type CallOptions,
  type ChatChunk,
  type ChatModel,
  type ChatRequest,
  type ChatResult,
  createCallSignal,
  LlmuxError,
  type Logger,
  silentLogger,
  type ThinkingBlock,
  type ToolCall,
  type Warning,
} from "@llmux/core";
import { mapAnthropicError } from "./anthropic-error.js";
import { defaultAnthropicMaxTokens } from "./anthropic-max-tokens.js";
import { prepareAnthropicTools, type ToolNames } from "./anthropic-prepare-tools.js";
import { AnthropicStreamMapper } from "./anthropic-stream-mapper.js";
import { convertAnthropicUsage } from "./anthropic-usage.js";
import type {
  AnthropicRequestBody,
  AnthropicResponse,
  AnthropicStreamEvent,
} from "./anthropic-wire-types.js";
import { convertToAnthropicMessages } from "./convert-to-anthropic-messages.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";

const NON_STREAMING_TIMEOUT_MS = 60 * 60 * 1000;

export interface AnthropicChatModelConfig {
  apiKey?: string;
  baseURL?: string;
  headers?: Record<string, string>;
  /** SDK-level retries. Default 0: llmux's router retries with backoff and `retry-after`. */
  maxRetries?: number;
  /** `max_tokens` when the request gives none (default: the model's maximum output). */
  defaultMaxTokens?: number;
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
}

// Fields the Messages API does not have: reported as warnings, never silently dropped.
const UNSUPPORTED: Array<keyof ChatRequest> = [
  "seed",
  "presence_penalty",
  "frequency_penalty",
  "response_format",
  "reasoning_effort",
];

interface PreparedCall {
  body: AnthropicRequestBody;
  names: ToolNames;
  warnings: Warning[];
}

/** A `ChatModel` over the Anthropic Messages API (`@anthropic-ai/sdk`). */
export class AnthropicChatModel implements ChatModel {
  readonly id: string;
  private client: Anthropic | undefined;
  private readonly baseURL: string;
  private readonly logger: Logger;

  constructor(
    readonly modelName: string,
    private readonly config: AnthropicChatModelConfig = {},
  ) {
    if (typeof modelName !== "string" || modelName.trim() === "") {
      throw new LlmuxError({
        kind: "bad_request",
        param: "model",
        message: "anthropic model name must be a non-empty string",
      });
    }
    this.id = `anthropic/${modelName}`;
    this.baseURL = (config.baseURL ?? ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.logger = config.logger ?? silentLogger;
  }

  private sdk(): Anthropic {
    if (this.client) return this.client;
    const apiKey = this.config.apiKey ?? process.env.ANTHROPIC_API_KEY;
    if (!apiKey) {
      throw new LlmuxError({
        kind: "auth",
        provider: "anthropic",
        model: this.modelName,
        message: "anthropic: no API key; set ANTHROPIC_API_KEY or pass createAnthropic({ apiKey })",
      });
    }
    this.client = new Anthropic({
      apiKey,
      baseURL: this.baseURL,
      maxRetries: this.config.maxRetries ?? 0,
      defaultHeaders: this.config.headers,
      logLevel: "off",
      ...(this.config.fetch ? { fetch: this.config.fetch } : {}),
    });
    return this.client;
  }

  /** The request body this model would send (pure translation; no I/O). */
  prepare(request: ChatRequest): PreparedCall {
    if (typeof request !== "object" || request === null) {
      throw new LlmuxError({ kind: "bad_request", param: "request", message: "request must be an object" });
    }
    const tools = prepareAnthropicTools({
      tools: request.tools,
      toolChoice: request.tool_choice,
      parallelToolCalls: request.parallel_tool_calls,
    });
    const prompt = convertToAnthropicMessages(request.messages, tools.names);
    const warnings: Warning[] = [...tools.warnings, ...prompt.warnings];
    for (const field of UNSUPPORTED) {
      if (
        request[field] !== undefined &&
        !(field === "response_format" && request.response_format?.type === "text")
      ) {
        warnings.push({
          type: "unsupported-setting",
          setting: field,
          message:
            field === "reasoning_effort"
              ? "Anthropic has no reasoning_effort; use providerOptions.anthropic.thinking = { type: 'enabled', budget_tokens }"
              : `Anthropic does not support ${field}; it was not sent`,
        });
      }
    }
    const maxTokens =
      request.max_completion_tokens ??
      request.max_tokens ??
      this.config.defaultMaxTokens ??
      defaultAnthropicMaxTokens(this.modelName);
    if (!Number.isInteger(maxTokens) || maxTokens < 1) {
      throw new LlmuxError({
        kind: "bad_request",
        param: "max_completion_tokens",
        message: `max_completion_tokens must be a positive integer, got ${JSON.stringify(maxTokens)}`,
      });
    }
    const body: AnthropicRequestBody = {
      model: this.modelName,
      max_tokens: maxTokens,
      messages: prompt.messages,
    };
    if (prompt.system) body.system = prompt.system;
    if (tools.tools) body.tools = tools.tools;
    if (tools.toolChoice) body.tool_choice = tools.toolChoice;
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.top_p !== undefined) body.top_p = request.top_p;
    if (request.stop !== undefined)
      body.stop_sequences = Array.isArray(request.stop) ? request.stop : [request.stop];
    if (request.user !== undefined) body.metadata = { user_id: request.user };
    // Raw Messages API fields (thinking, top_k, service_tier…), for what the OpenAI shape cannot say.
    const extra = request.providerOptions?.anthropic;
    if (extra) for (const [key, value] of Object.entries(extra)) if (value !== undefined) body[key] = value;
    return { body, names: tools.names, warnings };
  }

  async chat(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    const { body, names, warnings } = this.prepare(request);
    const client = this.sdk();
    const call = createCallSignal(options, { provider: "anthropic", model: this.modelName });
    let response: AnthropicResponse;
    try {
      response = (await client.messages.create(
        { ...body, stream: false } as unknown as Anthropic.MessageCreateParamsNonStreaming,
        // An explicit timeout: the SDK otherwise refuses non-streaming calls with a large max_tokens.
        // llmux's own `timeoutMs` (via the signal) is what bounds the call.
        { signal: call.signal, headers: options.headers, timeout: NON_STREAMING_TIMEOUT_MS },
      )) as unknown as AnthropicResponse;
    } catch (error) {
      throw (
        call.abortError(error) ?? mapAnthropicError(error, { model: this.modelName, baseURL: this.baseURL })
      );
    } finally {
      call.dispose();
    }
    return this.toResult(response, names, warnings);
  }

  private toResult(response: AnthropicResponse, names: ToolNames, warnings: Warning[]): ChatResult {
    if (typeof response !== "object" || response === null || !Array.isArray(response.content)) {
      throw new LlmuxError({
        kind: "invalid_response",
        provider: "anthropic",
        model: this.modelName,
        message: `anthropic (${this.modelName}) returned a body without a "content" array`,
      });
    }
    let text = "";
    let reasoning = "";
    const toolCalls: ToolCall[] = [];
    const thinkingBlocks: ThinkingBlock[] = [];
    for (const block of response.content) {
      if (block.type === "text" && typeof block.text === "string") text += block.text;
      else if (block.type === "thinking" && typeof block.thinking === "string") {
        reasoning += block.thinking;
        thinkingBlocks.push({
          type: "thinking",
          thinking: block.thinking,
          ...(typeof block.signature === "string" ? { signature: block.signature } : {}),
        });
      } else if (block.type === "redacted_thinking" && typeof block.data === "string") {
        thinkingBlocks.push({ type: "redacted_thinking", data: block.data });
      } else if (block.type === "tool_use") {
        const b = block as { id: string; name: string; input: unknown };
        toolCalls.push({
          id: b.id,
          type: "function",
          function: { name: names.fromProvider(b.name), arguments: JSON.stringify(b.input ?? {}) },
        });
      }
    }
    const message: ChatResult["choices"][number]["message"] = {
      role: "assistant",
      content: text === "" && toolCalls.length > 0 ? null : text,
    };
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    if (reasoning) message.reasoning_content = reasoning;
    if (thinkingBlocks.length > 0) message.thinking_blocks = thinkingBlocks;
    const result: ChatResult = {
      id: response.id,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: response.model ?? this.modelName,
      choices: [{ index: 0, message, finish_reason: mapAnthropicStopReason(response.stop_reason) }],
      llmux: { provider: "anthropic", ...(warnings.length > 0 ? { warnings } : {}) },
    };
    if (response.usage) result.usage = convertAnthropicUsage(response.usage);
    return result;
  }

  async *stream(request: ChatRequest, options: CallOptions = {}): AsyncGenerator<ChatChunk> {
    const { body, names, warnings } = this.prepare(request);
    const client = this.sdk();
    const call = createCallSignal(options, { provider: "anthropic", model: this.modelName });
    const who = { model: this.modelName, baseURL: this.baseURL };
    const mapper = new AnthropicStreamMapper(this.modelName, names);
    let first = true;
    try {
      let events: AsyncIterable<AnthropicStreamEvent>;
      try {
        events = (await client.messages.create(
          { ...body, stream: true } as unknown as Anthropic.MessageCreateParamsStreaming,
          { signal: call.signal, headers: options.headers },
        )) as unknown as AsyncIterable<AnthropicStreamEvent>;
      } catch (error) {
        throw call.abortError(error) ?? mapAnthropicError(error, who);
      }
      try {
        for await (const event of events) {
          for (const chunk of mapper.map(event)) {
            if (first) chunk.llmux = { provider: "anthropic", ...(warnings.length > 0 ? { warnings } : {}) };
            first = false;
            yield chunk;
          }
        }
      } catch (error) {
        throw call.abortError(error) ?? mapAnthropicError(error, who);
      }
      // The SDK ends the iteration quietly when the signal aborts: say why.
      const aborted = call.abortError();
      if (aborted) throw aborted;
      mapper.end();
    } catch (error) {
      this.logger.debug(
        { provider: "anthropic", model: this.modelName, error: String(error) },
        "stream failed",
      );
      throw error;
    } finally {
      call.dispose();
    }
  }
}
