// Which package serves which provider prefix, which environment variable holds its key, and how
// LiteLLM-style params map to its settings. Packages are imported only when a model is first called,
// or up front by preloadProviders.
import { type ChatModel, LlmuxError, parseModelId } from "@llmux/core";

export type ProviderParams = Record<string, unknown>;

/** Makes a model of a provider from its name after the prefix and the call's params. */
export type ProviderFactory = (model: string, params: ProviderParams) => ChatModel | Promise<ChatModel>;

interface BuiltInProvider {
  /** Environment variables that can hold the key, first wins; none means no key is needed. */
  keyEnv: string[];
  /** The package that serves the provider, and its import (with a literal specifier, for bundlers). */
  pkg: string;
  module: () => Promise<unknown>;
  /** The package's factory (`createOpenAI`…), by the names it may have. */
  factory: string[];
  /** An `@llmux/provider-openai` preset. */
  preset?: string;
  /** Extra settings read from the environment (hosts, regions). */
  env?: Record<string, string>;
}

type ProviderPackageFactory = (settings: unknown) => { chatModel(model: string): ChatModel };

const openAI = {
  pkg: "@llmux/provider-openai",
  module: () => import("@llmux/provider-openai"),
  factory: ["createOpenAI"],
};
const openAICompatible = (preset: string, keyEnv: string[]): BuiltInProvider => ({
  ...openAI,
  keyEnv,
  preset,
});

const BUILT_IN: Record<string, BuiltInProvider> = {
  openai: { ...openAI, keyEnv: ["OPENAI_API_KEY"] },
  anthropic: {
    keyEnv: ["ANTHROPIC_API_KEY"],
    pkg: "@llmux/provider-anthropic",
    module: () => import("@llmux/provider-anthropic"),
    factory: ["createAnthropic"],
  },
  ollama: {
    keyEnv: [],
    pkg: "@llmux/provider-ollama",
    module: () => import("@llmux/provider-ollama"),
    factory: ["createOllama"],
    env: { host: "OLLAMA_HOST" },
  },
  bedrock: {
    keyEnv: [], // the standard AWS credential chain
    pkg: "@llmux/provider-bedrock",
    module: () => import("@llmux/provider-bedrock"),
    factory: ["createBedrock"],
    env: { region: "AWS_REGION" },
  },
  deepseek: {
    keyEnv: ["DEEPSEEK_API_KEY"],
    pkg: "@llmux/provider-deepseek",
    module: () => import("@llmux/provider-deepseek"),
    factory: ["createDeepSeek", "createDeepseek"],
  },
  qwen: {
    keyEnv: ["DASHSCOPE_API_KEY"],
    pkg: "@llmux/provider-qwen",
    module: () => import("@llmux/provider-qwen"),
    factory: ["createQwen"],
  },
  groq: openAICompatible("groq", ["GROQ_API_KEY"]),
  mistral: openAICompatible("mistral", ["MISTRAL_API_KEY"]),
  xai: openAICompatible("xai", ["XAI_API_KEY"]),
  openrouter: openAICompatible("openrouter", ["OPENROUTER_API_KEY"]),
  together: openAICompatible("together", ["TOGETHER_API_KEY", "TOGETHERAI_API_KEY"]),
  azure: openAICompatible("azure", ["AZURE_OPENAI_API_KEY", "AZURE_API_KEY"]),
  vllm: openAICompatible("vllm", []),
  lmstudio: openAICompatible("lmstudio", []),
};

/** Imports the provider's package and makes the model with its factory. */
async function loadBuiltIn(p: BuiltInProvider, model: string, settings: Record<string, unknown>) {
  const mod = (await p.module()) as Record<string, unknown>;
  const create = p.factory.map((name) => mod[name]).find((f) => typeof f === "function") as
    | ProviderPackageFactory
    | undefined;
  if (!create)
    throw new LlmuxError({ kind: "bad_request", message: `${p.pkg} does not export ${p.factory[0]}` });
  return create(p.preset ? { ...settings, preset: p.preset } : settings).chatModel(model);
}

/** Providers served by `@llmux/provider-openai` (directly or through DeepSeek's and Qwen's packages). */
const OPENAI_FAMILY = new Set([
  "openai",
  "deepseek",
  "qwen",
  "groq",
  "mistral",
  "xai",
  "openrouter",
  "together",
  "azure",
  "vllm",
  "lmstudio",
]);
const ALIASES: Record<string, string> = { dashscope: "qwen", alibaba: "qwen", "x-ai": "xai", aws: "bedrock" };

const custom = new Map<string, ProviderFactory>();

/** Adds (or replaces) a provider prefix, e.g. `registerProvider("simulated", (m) => createSimulatedModel({ name: m }))`. */
export function registerProvider(prefix: string, factory: ProviderFactory): void {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(prefix)) {
    throw new LlmuxError({
      kind: "bad_request",
      param: "prefix",
      message: `registerProvider: "${prefix}" must be lowercase letters, digits, "-" or "_"`,
    });
  }
  custom.set(prefix, factory);
}

/** Every provider prefix `resolveModel` understands. */
export function knownProviders(): string[] {
  return [...new Set([...Object.keys(BUILT_IN), ...Object.keys(ALIASES), ...custom.keys()])].sort();
}

/** LiteLLM-style params (`api_key`, `api_base`, `aws_region_name`…) → the provider packages' settings. */
function settingsFrom(provider: string, params: ProviderParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (k === "api_key" || k === "apiKey") out.apiKey = v;
    else if (k === "api_base" || k === "base_url" || k === "baseURL") {
      if (provider === "ollama") out.host = v;
      else if (provider === "bedrock") out.endpoint = v;
      else out.baseURL = v;
    } else if (k === "aws_region_name" || k === "region") out.region = v;
    else if (k === "aws_access_key_id" || k === "aws_secret_access_key") {
      const creds = (out.credentials ?? {}) as Record<string, unknown>;
      creds[k === "aws_access_key_id" ? "accessKeyId" : "secretAccessKey"] = v;
      out.credentials = creds;
    } else if (
      k === "host" ||
      k === "endpoint" ||
      k === "headers" ||
      k === "credentials" ||
      k === "organization" ||
      k === "apiVersion"
    )
      out[k] = v;
    else if (k === "api_version") out.apiVersion = v;
    // "sdk" | "http": how the OpenAI-compatible family talks HTTP; the other providers have one way.
    else if (k === "transport" && OPENAI_FAMILY.has(provider)) out.transport = v;
  }
  return out;
}

export function canonicalProvider(provider: string): string {
  return ALIASES[provider] ?? provider;
}

/** Loads the model for `provider/model`, checking credentials first. */
export async function loadProviderModel(
  provider: string,
  model: string,
  params: ProviderParams,
  env: Record<string, string | undefined>,
): Promise<ChatModel> {
  const name = canonicalProvider(provider);
  const factory = custom.get(provider) ?? custom.get(name);
  if (factory) return factory(model, params);
  const builtIn = BUILT_IN[name];
  if (!builtIn) throw unknownProvider(provider);
  const settings = settingsFrom(name, params);
  if (builtIn.keyEnv.length > 0 && settings.apiKey === undefined) {
    const fromEnv = builtIn.keyEnv.map((k) => env[k]).find((v) => v);
    if (!fromEnv) {
      throw new LlmuxError({
        kind: "auth",
        provider: name,
        model,
        message: `${provider}/${model} needs an API key: set ${builtIn.keyEnv.join(" or ")} in the environment, or pass api_key`,
      });
    }
    settings.apiKey = fromEnv;
  }
  for (const [setting, variable] of Object.entries(builtIn.env ?? {})) {
    if (settings[setting] === undefined && env[variable]) settings[setting] = env[variable];
  }
  return loadBuiltIn(builtIn, model, settings);
}

/**
 * Imports the provider packages that serve these `provider/model` ids now rather than on their first
 * call, and returns the packages it imported. A server calls it before it listens: its first
 * requests then do not wait for the import (≈50 ms for `@llmux/provider-openai` on a 2-core
 * machine), and the garbage collector does not meet the import's allocations in the middle of a load. Keys are still checked
 * on the first call. Providers added with `registerProvider` are skipped: their factory is theirs.
 *
 * @throws LlmuxError (`bad_request`) for an id whose provider nobody serves, like `resolveModel`.
 * @example
 * await preloadProviders(["openai/gpt-4o-mini", "anthropic/claude-sonnet-4-0"]);
 */
export async function preloadProviders(ids: Iterable<string>): Promise<string[]> {
  const packages = new Map<string, () => Promise<unknown>>();
  for (const id of ids) {
    const { provider } = parseModelId(id);
    if (!isKnownProvider(provider)) throw unknownProvider(provider);
    const name = canonicalProvider(provider);
    if (custom.has(provider) || custom.has(name)) continue;
    const { pkg, module } = BUILT_IN[name]!;
    packages.set(pkg, module);
  }
  await Promise.all([...packages.values()].map((load) => load()));
  return [...packages.keys()].sort();
}

export function unknownProvider(provider: string): LlmuxError {
  return new LlmuxError({
    kind: "bad_request",
    param: "model",
    message: `unknown provider "${provider}"; known: ${knownProviders().join(", ")} (or add one with registerProvider)`,
  });
}

export function isKnownProvider(provider: string): boolean {
  const name = canonicalProvider(provider);
  return custom.has(provider) || custom.has(name) || name in BUILT_IN;
}
