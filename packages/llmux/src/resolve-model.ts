import {
  batchedChatStream,
  type CallOptions,
  type ChatChunk,
  type ChatModel,
  type ChatRequest,
  chunkBatches,
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

/** The model `resolveModel` returns: made on its first call, or when `load()` is called. */
export interface LazyChatModel extends ChatModel {
  /**
   * Makes the provider's model now: imports its package and checks its key. A failure (a missing
   * key, say) rejects here, and the next call tries again. A server calls it before it listens.
   */
  load(): Promise<ChatModel>;
}

/**
 * A `ChatModel` for `provider/model`. The provider package is imported on the first call (or by
 * `load()`), so installing `llmux` loads no SDK you never use; a missing key is reported then,
 * naming the variable.
 *
 * @example
 * const model = resolveModel("anthropic/claude-sonnet-4-0");
 * const result = await model.chat({ messages: [{ role: "user", content: "Hi" }] });
 */
export function resolveModel(
  id: string,
  params: ProviderParams = {},
  options: ResolveOptions = {},
): LazyChatModel {
  const { provider, model } = parseModelId(id);
  if (!isKnownProvider(provider)) throw unknownProvider(provider);
  let loading: Promise<ChatModel> | undefined;
  let loaded: ChatModel | undefined;
  const load = () => {
    loading ??= loadProviderModel(provider, model, params, options.env ?? process.env).then(
      (m) => {
        loaded = m;
        return m;
      },
      (e) => {
        loading = undefined; // a later call may succeed (e.g. after the key is set)
        throw e;
      },
    );
    return loading;
  };
  // Once loaded, calls go straight to the provider's model (its streams keep their batches).
  return {
    id,
    load,
    chat(request: ChatRequest, callOptions?: CallOptions) {
      return loaded ? loaded.chat(request, callOptions) : load().then((m) => m.chat(request, callOptions));
    },
    stream(request: ChatRequest, callOptions?: CallOptions): AsyncIterable<ChatChunk> {
      if (loaded) return loaded.stream(request, callOptions);
      return batchedChatStream(async function* () {
        yield* chunkBatches((await load()).stream(request, callOptions));
      });
    },
  };
}
