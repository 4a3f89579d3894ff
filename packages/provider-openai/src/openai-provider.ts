import { type ChatModel, LlmuxError } from "@llmux/core";
import OpenAI from "openai";
import { OpenAIChatModel } from "./openai-chat-model.js";
import {
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAICompatiblePreset,
  type OpenAICompatiblePresetName,
} from "./openai-presets.js";

export interface OpenAIProviderSettings {
  /** API key; default: the preset's environment variable (`OPENAI_API_KEY` for OpenAI). */
  apiKey?: string;
  /** Base URL ending in `/v1`; default: the preset's (or its base-URL environment variable). */
  baseURL?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** An OpenAI-compatible provider by name (`"groq"`, `"vllm"`…) or a custom preset. Default `"openai"`. */
  preset?: OpenAICompatiblePresetName | OpenAICompatiblePreset;
  /** Where keys and base URLs are read from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Custom fetch, passed to the SDK. */
  fetch?: typeof globalThis.fetch;
}

export interface OpenAIProvider {
  /** Provider id, e.g. `"openai"`, `"groq"`. */
  readonly id: string;
  readonly preset: OpenAICompatiblePreset;
  /** A `ChatModel` for one model, with id `"<provider>/<model>"`. */
  chatModel(model: string): OpenAIChatModel;
  /** Same as `chatModel`. */
  (model: string): ChatModel;
}

/**
 * Creates an OpenAI (or OpenAI-compatible) provider. The SDK runs with `maxRetries: 0`: retries
 * belong to the router. A missing key fails on the first call with an `auth` error naming the variable.
 *
 * @example
 * const model = createOpenAI().chatModel("gpt-4o-mini");
 * const groq = createOpenAI({ preset: "groq" }).chatModel("llama-3.3-70b-versatile");
 */
export function createOpenAI(settings: OpenAIProviderSettings = {}): OpenAIProvider {
  const preset =
    typeof settings.preset === "object"
      ? settings.preset
      : (OPENAI_COMPATIBLE_PRESETS[settings.preset ?? "openai"] as OpenAICompatiblePreset | undefined);
  if (!preset) {
    throw new LlmuxError({
      kind: "bad_request",
      param: "preset",
      message: `unknown OpenAI-compatible preset "${String(settings.preset)}": use one of ${Object.keys(OPENAI_COMPATIBLE_PRESETS).join(", ")}`,
    });
  }
  const env = settings.env ?? (typeof process === "undefined" ? {} : process.env);
  let client: OpenAI | undefined;
  const getClient = (): OpenAI => {
    if (client) return client;
    const apiKey = settings.apiKey ?? env[preset.apiKeyEnv];
    if (!apiKey && preset.apiKeyRequired) {
      throw new LlmuxError({
        kind: "auth",
        provider: preset.id,
        message: `${preset.name} API key is missing: set ${preset.apiKeyEnv} or pass apiKey to the provider`,
      });
    }
    const baseURL =
      settings.baseURL ?? (preset.baseURLEnv ? env[preset.baseURLEnv] : undefined) ?? preset.baseURL;
    if (!baseURL) {
      throw new LlmuxError({
        kind: "bad_request",
        provider: preset.id,
        param: "baseURL",
        message: `${preset.name} needs a base URL: pass baseURL${preset.baseURLEnv ? ` or set ${preset.baseURLEnv}` : ""}`,
      });
    }
    client = new OpenAI({
      apiKey: apiKey || "not-needed",
      baseURL,
      defaultHeaders: settings.headers,
      maxRetries: 0,
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
    });
    return client;
  };
  const chatModel = (model: string) => new OpenAIChatModel({ preset, model, client: getClient });
  return Object.assign((model: string) => chatModel(model), { id: preset.id, preset, chatModel });
}
