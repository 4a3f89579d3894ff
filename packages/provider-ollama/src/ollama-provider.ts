import { createCallSignal, LlmuxError } from "@llmux/core";
import { Ollama } from "ollama";
import { OllamaChatModel, type OllamaChatModelConfig, resolveOllamaHost } from "./ollama-chat-model.js";
import { mapOllamaError } from "./ollama-error.js";

export type OllamaProviderSettings = OllamaChatModelConfig;

/** A model installed on the Ollama server. */
export interface OllamaModelInfo {
  /** Name to pass to the provider, e.g. `"llama3.2:latest"`. */
  name: string;
  /** `ollama/<name>`. */
  id: string;
  sizeBytes: number;
  modifiedAt: string;
  family?: string;
  parameterSize?: string;
}

/** Makes Ollama chat models: `ollama("llama3.2")`, and lists what is installed. */
export interface OllamaProvider {
  (model: string): OllamaChatModel;
  chatModel(model: string): OllamaChatModel;
  /** The resolved server address. */
  readonly host: string;
  /** Models installed locally (`GET /api/tags`). Throws a `connection` error if Ollama is not running. */
  listModels(options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<OllamaModelInfo[]>;
}

/**
 * Creates an Ollama provider. The host defaults to `OLLAMA_HOST`, else http://127.0.0.1:11434.
 *
 * @example
 * const ollama = createOllama();
 * const models = await ollama.listModels();
 * const result = await ollama("llama3.2").chat({ messages: [{ role: "user", content: "Hi" }] });
 */
export function createOllama(settings: OllamaProviderSettings = {}): OllamaProvider {
  const host = resolveOllamaHost(settings.host);
  const make = (model: string) => new OllamaChatModel(model, { ...settings, host });
  const provider = ((model: string) => make(model)) as OllamaProvider;
  provider.chatModel = make;
  Object.defineProperty(provider, "host", { value: host, enumerable: true });
  provider.listModels = async (options = {}) => {
    const call = createCallSignal(options, { provider: "ollama" });
    const baseFetch = settings.fetch ?? globalThis.fetch;
    const client = new Ollama({
      host,
      headers: settings.headers,
      fetch: ((url: RequestInfo | URL, init?: RequestInit) =>
        baseFetch(url, { ...init, ...(call.signal ? { signal: call.signal } : {}) })) as typeof fetch,
    });
    try {
      const list = (await client.list()) as unknown as { models?: unknown };
      if (!Array.isArray(list?.models)) {
        throw new LlmuxError({
          kind: "invalid_response",
          provider: "ollama",
          message: `ollama at ${host} returned /api/tags without a "models" array`,
        });
      }
      return list.models.map((m: Record<string, unknown>): OllamaModelInfo => {
        const details = (m.details ?? {}) as Record<string, unknown>;
        const name = String(m.name ?? m.model ?? "");
        const info: OllamaModelInfo = {
          name,
          id: `ollama/${name}`,
          sizeBytes: typeof m.size === "number" ? m.size : 0,
          modifiedAt: String(m.modified_at ?? ""),
        };
        if (typeof details.family === "string") info.family = details.family;
        if (typeof details.parameter_size === "string") info.parameterSize = details.parameter_size;
        return info;
      });
    } catch (error) {
      throw call.abortError(error) ?? mapOllamaError(error, { model: "", host });
    } finally {
      call.dispose();
    }
  };
  return provider;
}
