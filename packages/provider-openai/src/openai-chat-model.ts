import {
  type BatchedChatStream,
  batchedChatStream,
  type CallOptions,
  type ChatChunk,
  type ChatModel,
  type ChatRequest,
  type ChatResult,
  createCallSignal,
  LlmuxError,
} from "@llmux/core";
import type OpenAI from "openai";
import { convertToOpenAIRequest } from "./convert-to-openai-request.js";
import { mapOpenAIChunk, mapOpenAIResult } from "./map-openai-response.js";
import { mapOpenAIError } from "./openai-error.js";
import type { OpenAIHttpTransport } from "./openai-http-transport.js";
import type { OpenAICompatiblePreset } from "./openai-presets.js";

/** What an `OpenAIChatModel` needs; built by `createOpenAI`. */
export interface OpenAIChatModelConfig {
  preset: OpenAICompatiblePreset;
  /** The model name the provider knows, e.g. `"gpt-4o-mini"`. */
  model: string;
  /**
   * Returns what carries the call: the SDK client (being loaded), or the HTTP transport. Throws the
   * configuration error (missing key, missing base URL).
   */
  client: () => OpenAIClient;
}

/** What carries an `OpenAIChatModel`'s calls. */
export type OpenAIClient = { sdk: Promise<OpenAI> } | { http: OpenAIHttpTransport };

type Body = Parameters<OpenAI["chat"]["completions"]["create"]>[0];

/** The SDK's stream, one event at a time, in the HTTP transport's batch shape. */
async function* oneByOne(stream: AsyncIterable<unknown>): AsyncIterable<readonly unknown[]> {
  for await (const event of stream) yield [event];
}

/**
 * A `ChatModel` over an OpenAI-compatible Chat Completions API, through the official `openai` SDK
 * (default) or a lean undici pool (`transport: "http"`, for gateways).
 */
export class OpenAIChatModel implements ChatModel {
  readonly id: string;
  private readonly who: { provider: string; model: string };

  constructor(private readonly config: OpenAIChatModelConfig) {
    this.id = `${config.preset.id}/${config.model}`;
    this.who = { provider: config.preset.id, model: config.model };
  }

  private prepare(request: ChatRequest, stream: boolean) {
    return convertToOpenAIRequest(request, {
      model: this.config.model,
      quirks: this.config.preset.quirks,
      providerKey: this.config.preset.id,
      stream,
    });
  }

  /** One completion. Errors are `LlmuxError`s (`kind`, `retryable`, `retryAfterMs`). */
  async chat(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    const client = this.config.client();
    const { body, warnings } = this.prepare(request, false);
    const call = createCallSignal(options, this.who);
    try {
      const raw: unknown =
        "http" in client
          ? await client.http.create(body, { signal: call.signal, headers: options.headers, who: this.who })
          : await (await client.sdk).chat.completions.create(body as unknown as Body, {
              signal: call.signal,
              headers: options.headers,
            });
      const result = mapOpenAIResult(raw, this.who, this.config.preset.quirks.completionExcludesReasoning);
      result.llmux = { provider: this.who.provider, ...(warnings.length > 0 ? { warnings } : {}) };
      return result;
    } catch (error) {
      throw call.abortError(error) ?? mapOpenAIError(error, this.who);
    } finally {
      call.dispose();
    }
  }

  /**
   * Streams chunks; usage arrives on the last one. A stream that ends before a finish reason throws.
   * The stream can also be read in batches, one per network read (`chunkBatches` of `@llmux/core`).
   */
  stream(request: ChatRequest, options: CallOptions = {}): BatchedChatStream {
    return batchedChatStream(() => this.streamBatches(request, options));
  }

  private async *streamBatches(request: ChatRequest, options: CallOptions): AsyncGenerator<ChatChunk[]> {
    const client = this.config.client();
    const { body, warnings } = this.prepare(request, true);
    const call = createCallSignal(options, this.who);
    const excludesReasoning = this.config.preset.quirks.completionExcludesReasoning;
    let finished = false;
    let first = true;
    try {
      const batches: AsyncIterable<readonly unknown[]> =
        "http" in client
          ? client.http.stream(body, { signal: call.signal, headers: options.headers, who: this.who })
          : oneByOne(
              (await (
                await client.sdk
              ).chat.completions.create(body as unknown as Body, {
                signal: call.signal,
                headers: options.headers,
              })) as AsyncIterable<unknown>,
            );
      for await (const batch of batches) {
        const chunks: ChatChunk[] = [];
        for (const raw of batch) {
          const chunk = mapOpenAIChunk(raw, this.who, excludesReasoning);
          if (!finished && chunk.choices.some((c) => c.finish_reason !== null)) finished = true;
          if (first) {
            chunk.llmux = { provider: this.who.provider, ...(warnings.length > 0 ? { warnings } : {}) };
            first = false;
          }
          chunks.push(chunk);
        }
        if (chunks.length > 0) yield chunks;
      }
    } catch (error) {
      throw call.abortError(error) ?? mapOpenAIError(error, this.who);
    } finally {
      call.dispose();
    }
    if (!finished) {
      // The SDK ends the iteration quietly on abort: report the abort, not a cut.
      const aborted = call.abortError();
      if (aborted) throw aborted;
      // Never a short answer: the connection closed before the model said it was done.
      throw new LlmuxError({
        kind: "connection",
        retryable: true,
        message: `${this.who.provider} (${this.who.model}) stream ended before a finish_reason: the connection was cut`,
        ...this.who,
      });
    }
  }
}
