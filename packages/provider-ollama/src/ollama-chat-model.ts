import {
  type CallOptions,
  type ChatChunk,
  type ChatModel,
  type ChatRequest,
  type ChatResult,
  createCallSignal,
  generateId,
  LlmuxError,
  normalizeUsage,
  type ToolCall,
  type Usage,
  type Warning,
} from "@llmux/core";
import { Ollama } from "ollama";
import { convertToOllamaMessages } from "./convert-to-ollama-messages.js";
import { mapOllamaFinishReason } from "./map-ollama-finish-reason.js";
import { mapOllamaError } from "./ollama-error.js";
import { type OllamaToolNames, prepareOllamaTools } from "./ollama-prepare-tools.js";
import { ollamaToolCallId } from "./ollama-tool-call-id.js";
import type { OllamaChatBody, OllamaChatResponse, OllamaToolCall } from "./ollama-wire-types.js";

export const OLLAMA_DEFAULT_HOST = "http://127.0.0.1:11434";

export interface OllamaChatModelConfig {
  /** Ollama server; default `OLLAMA_HOST`, else http://127.0.0.1:11434. */
  host?: string;
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
}

// Top-level /api/chat fields settable through providerOptions.ollama; every other key goes to `options`.
const TOP_LEVEL = new Set(["keep_alive", "think", "format", "options"]);

/** Resolves the Ollama host: explicit setting, then `OLLAMA_HOST`, then the local default. */
export function resolveOllamaHost(host?: string): string {
  let value = host ?? process.env.OLLAMA_HOST ?? OLLAMA_DEFAULT_HOST;
  if (value === "") value = OLLAMA_DEFAULT_HOST;
  // OLLAMA_HOST is often "0.0.0.0:11434" or "localhost:11434" (no scheme): connect over http.
  if (!value.includes("://")) value = `http://${value}`;
  return value.replace(/\/+$/, "").replace("://0.0.0.0", "://127.0.0.1");
}

function usageOf(response: OllamaChatResponse): Usage | undefined {
  if (response.prompt_eval_count === undefined && response.eval_count === undefined) return undefined;
  return normalizeUsage({ inputTokens: response.prompt_eval_count, outputTokens: response.eval_count });
}

/** A `ChatModel` over a local (or remote) Ollama server's /api/chat (`ollama` SDK). */
export class OllamaChatModel implements ChatModel {
  readonly id: string;
  readonly host: string;

  constructor(
    readonly modelName: string,
    private readonly config: OllamaChatModelConfig = {},
  ) {
    if (typeof modelName !== "string" || modelName.trim() === "") {
      throw new LlmuxError({
        kind: "bad_request",
        param: "model",
        message: "ollama model name must be a non-empty string",
      });
    }
    this.id = `ollama/${modelName}`;
    this.host = resolveOllamaHost(config.host);
  }

  /**
   * One SDK client per call: the SDK takes no per-request signal, so it is wired into `fetch`, and
   * its errors carry no headers, so the response is kept for `retry-after`.
   */
  private client(
    signal: AbortSignal | undefined,
    headers?: Record<string, string>,
  ): { sdk: Ollama; lastResponse: () => Response | undefined } {
    const baseFetch = this.config.fetch ?? globalThis.fetch;
    let last: Response | undefined;
    const sdk = new Ollama({
      host: this.host,
      headers: { ...this.config.headers, ...headers },
      fetch: (async (url: RequestInfo | URL, init?: RequestInit) => {
        last = await baseFetch(url, {
          ...init,
          signal: signal && init?.signal ? AbortSignal.any([signal, init.signal]) : (signal ?? init?.signal),
        });
        return last;
      }) as typeof fetch,
    });
    return { sdk, lastResponse: () => last };
  }

  /** The /api/chat body this model would send (pure translation; no I/O). */
  prepare(
    request: ChatRequest,
    stream: boolean,
  ): { body: OllamaChatBody; names: OllamaToolNames; warnings: Warning[] } {
    if (typeof request !== "object" || request === null) {
      throw new LlmuxError({ kind: "bad_request", param: "request", message: "request must be an object" });
    }
    const tools = prepareOllamaTools({ tools: request.tools, toolChoice: request.tool_choice });
    const prompt = convertToOllamaMessages(request.messages, tools.names);
    const warnings = [...tools.warnings, ...prompt.warnings];
    const options: Record<string, unknown> = {};
    if (request.temperature !== undefined) options.temperature = request.temperature;
    if (request.top_p !== undefined) options.top_p = request.top_p;
    if (request.seed !== undefined) options.seed = request.seed;
    if (request.presence_penalty !== undefined) options.presence_penalty = request.presence_penalty;
    if (request.frequency_penalty !== undefined) options.frequency_penalty = request.frequency_penalty;
    if (request.stop !== undefined)
      options.stop = Array.isArray(request.stop) ? request.stop : [request.stop];
    const maxTokens = request.max_completion_tokens ?? request.max_tokens;
    if (maxTokens !== undefined) options.num_predict = maxTokens;
    const body: OllamaChatBody = { model: this.modelName, messages: prompt.messages, stream };
    if (tools.tools) body.tools = tools.tools;
    if (request.response_format?.type === "json_object") body.format = "json";
    else if (request.response_format?.type === "json_schema") {
      body.format = (request.response_format.json_schema.schema ?? "json") as OllamaChatBody["format"];
    }
    if (request.reasoning_effort !== undefined) {
      warnings.push({
        type: "unsupported-setting",
        setting: "reasoning_effort",
        message:
          'Ollama has no reasoning_effort; use providerOptions.ollama.think (true, or "low"/"medium"/"high")',
      });
    }
    if (request.parallel_tool_calls === false) {
      warnings.push({
        type: "unsupported-setting",
        setting: "parallel_tool_calls",
        message: "Ollama cannot limit parallel tool calls",
      });
    }
    const extra = request.providerOptions?.ollama ?? {};
    for (const [key, value] of Object.entries(extra)) {
      if (value === undefined) continue;
      if (key === "options" && typeof value === "object" && value !== null) Object.assign(options, value);
      else if (TOP_LEVEL.has(key)) (body as unknown as Record<string, unknown>)[key] = value;
      else options[key] = value;
    }
    if (Object.keys(options).length > 0) body.options = options;
    return { body, names: tools.names, warnings };
  }

  private toolCalls(
    calls: OllamaToolCall[] | undefined,
    seed: string,
    offset: number,
    names: OllamaToolNames,
  ): ToolCall[] {
    return (calls ?? []).map((call, i) => {
      const name = names.fromProvider(call.function?.name ?? "");
      const raw = call.function?.arguments;
      // Some models return arguments as a JSON string rather than an object: keep the text.
      const args = typeof raw === "string" ? raw : JSON.stringify(raw ?? {});
      return {
        id: call.id || ollamaToolCallId(seed, offset + i, name, args),
        type: "function",
        function: { name, arguments: args },
      };
    });
  }

  async chat(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    const { body, names, warnings } = this.prepare(request, false);
    const call = createCallSignal(options, { provider: "ollama", model: this.modelName });
    let response: OllamaChatResponse;
    const client = this.client(call.signal, options.headers);
    try {
      response = (await client.sdk.chat(
        body as unknown as Parameters<Ollama["chat"]>[0] & { stream: false },
      )) as unknown as OllamaChatResponse;
    } catch (error) {
      throw (
        call.abortError(error) ??
        mapOllamaError(error, { model: this.modelName, host: this.host }, client.lastResponse()?.headers)
      );
    } finally {
      call.dispose();
    }
    if (typeof response !== "object" || response === null || typeof response.message !== "object") {
      throw new LlmuxError({
        kind: "invalid_response",
        provider: "ollama",
        model: this.modelName,
        message: `ollama (${this.modelName}) returned a body without a "message" object`,
      });
    }
    const toolCalls = this.toolCalls(response.message.tool_calls, response.created_at ?? "", 0, names);
    const content = response.message.content ?? "";
    const message: ChatResult["choices"][number]["message"] = {
      role: "assistant",
      content: content === "" && toolCalls.length > 0 ? null : content,
    };
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    if (response.message.thinking) message.reasoning_content = response.message.thinking;
    const result: ChatResult = {
      id: generateId("chatcmpl"),
      object: "chat.completion",
      created: Math.floor((Date.parse(response.created_at ?? "") || Date.now()) / 1000),
      model: response.model ?? this.modelName,
      choices: [
        {
          index: 0,
          message,
          finish_reason: mapOllamaFinishReason(response.done_reason, toolCalls.length > 0),
        },
      ],
      llmux: { provider: "ollama", ...(warnings.length > 0 ? { warnings } : {}) },
    };
    const usage = usageOf(response);
    if (usage) result.usage = usage;
    return result;
  }

  async *stream(request: ChatRequest, options: CallOptions = {}): AsyncGenerator<ChatChunk> {
    const { body, names, warnings } = this.prepare(request, true);
    const call = createCallSignal(options, { provider: "ollama", model: this.modelName });
    const who = { model: this.modelName, host: this.host };
    const created = Math.floor(Date.now() / 1000);
    let id = "";
    let model = this.modelName;
    let toolCount = 0;
    let finished = false;
    try {
      let lines: AsyncIterable<OllamaChatResponse>;
      const client = this.client(call.signal, options.headers);
      try {
        lines = (await client.sdk.chat(
          body as unknown as Parameters<Ollama["chat"]>[0] & { stream: true },
        )) as unknown as AsyncIterable<OllamaChatResponse>;
      } catch (error) {
        throw call.abortError(error) ?? mapOllamaError(error, who, client.lastResponse()?.headers);
      }
      const chunk = (
        delta: ChatChunk["choices"][number]["delta"],
        finish: ChatChunk["choices"][number]["finish_reason"] = null,
      ): ChatChunk => ({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
      try {
        for await (const line of lines) {
          if (id === "") {
            id = generateId("chatcmpl");
            if (line.model) model = line.model;
            const first = chunk({ role: "assistant", content: "" });
            first.llmux = { provider: "ollama", ...(warnings.length > 0 ? { warnings } : {}) };
            yield first;
          }
          const msg = line.message ?? {};
          if (msg.thinking) yield chunk({ reasoning_content: msg.thinking });
          if (msg.content) yield chunk({ content: msg.content });
          const calls = this.toolCalls(msg.tool_calls, line.created_at ?? "", toolCount, names);
          for (const tc of calls) {
            yield chunk({
              tool_calls: [{ index: toolCount++, id: tc.id, type: "function", function: tc.function }],
            });
          }
          if (line.done) {
            finished = true;
            yield chunk({}, mapOllamaFinishReason(line.done_reason, toolCount > 0));
            yield {
              id,
              object: "chat.completion.chunk",
              created,
              model,
              choices: [],
              usage: usageOf(line) ?? null,
            };
          }
        }
      } catch (error) {
        throw call.abortError(error) ?? mapOllamaError(error, who);
      }
      const aborted = call.abortError();
      if (aborted) throw aborted;
      if (!finished) {
        throw new LlmuxError({
          kind: "invalid_response",
          provider: "ollama",
          model: this.modelName,
          message: `ollama (${this.modelName}) stream ended before the final "done" line: it was cut`,
        });
      }
    } finally {
      call.dispose();
    }
  }
}
