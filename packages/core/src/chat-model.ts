import type { ChatChunk, ChatRequest, ChatResult } from "./chat-types.js";

export interface CallOptions {
  /** Abort the call; the promise rejects (or the stream throws) an `LlmuxError` of kind `aborted`. */
  signal?: AbortSignal;
  /** Give up after this long; the error is of kind `timeout`. */
  timeoutMs?: number;
  /** Extra HTTP headers for the provider request. */
  headers?: Record<string, string>;
  /** Caller data passed down the layers (request id, virtual key, tags); never sent to providers. */
  metadata?: Record<string, unknown>;
}

/**
 * Everything that answers a chat request: a provider adapter, a router, a scripted test model.
 *
 * @example
 * const result = await model.chat({ messages: [{ role: "user", content: "Hi" }] });
 * for await (const chunk of model.stream({ messages })) process.stdout.write(chunk.choices[0]?.delta.content ?? "");
 */
export interface ChatModel {
  /** `provider/model`, e.g. `"anthropic/claude-sonnet-4-0"`. */
  readonly id: string;
  chat(request: ChatRequest, options?: CallOptions): Promise<ChatResult>;
  stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatChunk>;
}
