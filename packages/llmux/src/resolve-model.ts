import {
  type CallOptions,
  type ChatChunk,
  type ChatModel,
  type ChatRequest,
  parseModelId,
} from "@llmux/core";
import {
  isKnownProvider,
  loadProviderModel,
  type ProviderParams,
  unknownProvider,
} from "./provider-registry.js";

export interface ResolveOptions {
  /** Where keys and hosts are read from (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/**
 * A `ChatModel` for `provider/model`. The provider package is imported on the first call, so
 * installing `llmux` loads no SDK you never use; a missing key is reported then, naming the variable.
 *
 * @example
 * const model = resolveModel("anthropic/claude-sonnet-4-0");
 * const result = await model.chat({ messages: [{ role: "user", content: "Hi" }] });
 */
export function resolveModel(
  id: string,
  params: ProviderParams = {},
  options: ResolveOptions = {},
): ChatModel {
  const { provider, model } = parseModelId(id);
  if (!isKnownProvider(provider)) throw unknownProvider(provider);
  let loading: Promise<ChatModel> | undefined;
  const load = () => {
    loading ??= loadProviderModel(provider, model, params, options.env ?? process.env).catch((e) => {
      loading = undefined; // a later call may succeed (e.g. after the key is set)
      throw e;
    });
    return loading;
  };
  return {
    id,
    async chat(request: ChatRequest, callOptions?: CallOptions) {
      return (await load()).chat(request, callOptions);
    },
    async *stream(request: ChatRequest, callOptions?: CallOptions): AsyncIterable<ChatChunk> {
      yield* (await load()).stream(request, callOptions);
    },
  };
}
