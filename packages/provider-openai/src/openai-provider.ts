import { type ChatModel, LlmuxError } from "@llmux/core";
import type OpenAI from "openai";
import type { Dispatcher } from "undici";
import { OpenAIChatModel, type OpenAIClient } from "./openai-chat-model.js";
import { OpenAIHttpTransport } from "./openai-http-transport.js";
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
  /**
   * What carries the HTTP calls:
   * - `"sdk"` (default): the official `openai` SDK, which keeps auth, SSE parsing and wire fixes
   *   current. It is loaded on the first call.
   * - `"http"`: a keep-alive undici pool with no per-call SDK machinery: the same wire and the same
   *   errors for a fraction of the CPU per call, and streams handed over in batches (one per network
   *   read). Use it where calls are many and cheap, e.g. behind a gateway (`llmux-gateway` does).
   */
  transport?: "sdk" | "http";
  /** Custom fetch, passed to the SDK (`transport: "sdk"` only). */
  fetch?: typeof globalThis.fetch;
  /** An undici dispatcher (`Agent`, `ProxyAgent`, `Pool`…) for `transport: "http"`; default: a pool per provider. */
  dispatcher?: Dispatcher;
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
 * `transport: "http"` swaps the SDK for a lean undici pool (see `OpenAIProviderSettings.transport`).
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
  if (settings.transport !== undefined && settings.transport !== "sdk" && settings.transport !== "http") {
    throw new LlmuxError({
      kind: "bad_request",
      param: "transport",
      message: `unknown transport "${String(settings.transport)}": use "sdk" or "http"`,
    });
  }
  let client: OpenAIClient | undefined;
  const getClient = (): OpenAIClient => {
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
    const key = apiKey || "not-needed";
    client =
      settings.transport === "http"
        ? {
            http: new OpenAIHttpTransport({
              apiKey: key,
              baseURL,
              headers: settings.headers,
              dispatcher: settings.dispatcher,
            }),
          }
        : {
            // The SDK (and all it loads) is imported on the first call, not with this package.
            sdk: import("openai").then(
              ({ default: SDK }): OpenAI =>
                new SDK({
                  apiKey: key,
                  baseURL,
                  defaultHeaders: settings.headers,
                  maxRetries: 0,
                  ...(settings.fetch ? { fetch: settings.fetch } : {}),
                }),
            ),
          };
    return client;
  };
  const chatModel = (model: string) => new OpenAIChatModel({ preset, model, client: getClient });
  return Object.assign((model: string) => chatModel(model), { id: preset.id, preset, chatModel });
}
