import { type ChatResult, LlmuxError, parseModelId, type Usage, usageBreakdown } from "@llmux/core";
import type { ModelPrice } from "./model-price.js";
import { priceCatalog } from "./price-catalog.js";
import { SUPPLEMENTARY_PRICES } from "./supplementary-prices.js";

/** Providers that run on the user's own hardware: their calls cost nothing per token. */
export const DEFAULT_LOCAL_PROVIDERS: readonly string[] = [
  "ollama",
  "simulated",
  "lmstudio",
  "vllm",
  "llamacpp",
];

/** Our provider ids → the catalog's provider ids. */
const CATALOG_PROVIDER: Record<string, string> = {
  openai: "openai",
  azure: "azure",
  anthropic: "anthropic",
  bedrock: "aws",
  deepseek: "deepseek",
  groq: "groq",
  mistral: "mistral",
  xai: "x-ai",
  openrouter: "openrouter",
  together: "together",
  gemini: "google",
  google: "google",
  vertex: "google",
};

const PROVIDER_ALIASES: Record<string, string> = { dashscope: "qwen", alibaba: "qwen" };

export interface PriceOptions {
  /** Per-deployment price (USD per million tokens); fields given here replace the catalog's. */
  price?: Partial<ModelPrice>;
  /** Providers priced at zero (default: ollama, simulated, lmstudio, vllm, llamacpp). */
  localProviders?: readonly string[];
}

export interface CostBreakdown {
  inputUsd: number;
  cacheReadUsd: number;
  cacheWriteUsd: number;
  outputUsd: number;
  reasoningUsd: number;
}

export interface CostResult {
  /** Total in USD; `null` when no price is known (never a silent 0). */
  costUsd: number | null;
  breakdown: CostBreakdown | null;
  price: ModelPrice | null;
  /** Where the price came from. */
  source: "catalog" | "supplementary" | "override" | "local" | null;
  warning?: string;
}

type CatalogPrice = Record<string, unknown>;

function num(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  // Tiered prices: the base tier applies to ordinary requests.
  if (v && typeof v === "object" && typeof (v as { base?: unknown }).base === "number")
    return (v as { base: number }).base;
  return undefined;
}

function fromCatalog(p: CatalogPrice): ModelPrice | null {
  const input = num(p.input_mtok);
  const output = num(p.output_mtok);
  if (input === undefined || output === undefined) return null;
  const price: ModelPrice = { input, output };
  const cacheRead = num(p.cache_read_mtok);
  const cacheWrite = num(p.cache_write_mtok);
  if (cacheRead !== undefined) price.cacheRead = cacheRead;
  if (cacheWrite !== undefined) price.cacheWrite = cacheWrite;
  return price;
}

type Found = { price: ModelPrice; source: "catalog" | "supplementary" } | null;

// Catalog look-ups match patterns over hundreds of models: remember the answer per model id
// (the catalog is fixed for the life of the process). Bounded so ids from the wire cannot grow it forever.
const cache = new Map<string, Found>();

const OPTIONAL_PRICE_FIELDS = ["cacheRead", "cacheWrite", "reasoning"] as const;

/** A look-up answer as a child process printed it: `null`, or `{ price, source }` with numeric prices. */
function isFound(v: unknown): v is Found {
  if (v === null) return true;
  if (typeof v !== "object") return false;
  const { price, source } = v as { price?: Record<string, unknown> | null; source?: unknown };
  return (
    (source === "catalog" || source === "supplementary") &&
    typeof price === "object" &&
    price !== null &&
    typeof price.input === "number" &&
    typeof price.output === "number" &&
    OPTIONAL_PRICE_FIELDS.every((k) => price[k] === undefined || typeof price[k] === "number")
  );
}

/** The look-ups made so far, as `[provider/model, answer]` pairs (what a look-up child reports). */
export function lookedUpPrices(): [string, Found][] {
  return [...cache];
}

/**
 * Adds look-ups made elsewhere (by `preloadModelPrices`' child) to this process's answers; returns
 * how many were new. Entries that are not `[string, null | { price, source }]` are refused whole.
 */
export function addLookedUpPrices(entries: unknown): number {
  if (!Array.isArray(entries)) throw new TypeError("expected an array of [model, price] pairs");
  const valid = (e: unknown): e is [string, Found] =>
    Array.isArray(e) && e.length === 2 && typeof e[0] === "string" && isFound(e[1]);
  if (!entries.every(valid)) throw new TypeError("expected [string, null | { price, source }] pairs");
  let added = 0;
  for (const [key, found] of entries) {
    if (cache.has(key)) continue;
    cache.set(key, found);
    added++;
  }
  return added;
}

function lookup(provider: string, model: string): Found {
  const key = `${provider}/${model}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const found = lookupUncached(provider, model);
  if (cache.size > 5000) cache.clear();
  cache.set(key, found);
  return found;
}

function lookupUncached(provider: string, model: string): Found {
  const supplementary =
    SUPPLEMENTARY_PRICES[provider]?.[model] ??
    SUPPLEMENTARY_PRICES[provider]?.[model.replace(/-\d{4}-\d{2}-\d{2}$/, "")];
  const catalogProvider = CATALOG_PROVIDER[provider];
  const catalog = catalogProvider ? priceCatalog() : undefined;
  if (catalog?.findProvider({ providerId: catalogProvider })) {
    // The catalog matches dated variants and Bedrock region prefixes itself.
    const result = catalog.calcPrice({ input_tokens: 1_000_000, output_tokens: 0 }, model, {
      providerId: catalogProvider,
    });
    const price = result ? fromCatalog(result.model_price as CatalogPrice) : null;
    if (price) return { price, source: "catalog" };
  }
  if (supplementary) return { price: supplementary, source: "supplementary" };
  if (provider === "openrouter" || provider === "together") {
    // "openrouter/anthropic/claude-3.5-sonnet": try the underlying provider too.
    const inner = model.indexOf("/");
    if (inner > 0) return lookup(model.slice(0, inner), model.slice(inner + 1));
  }
  return null;
}

function normaliseProvider(provider: string): string {
  return PROVIDER_ALIASES[provider] ?? provider;
}

/**
 * The price of `provider/model` in USD per million tokens, or `null` when unknown.
 *
 * @example
 * getModelPrice("openai/gpt-4o-mini") // { input: 0.15, output: 0.6, cacheRead: 0.075 }
 */
export function getModelPrice(modelId: string, options: PriceOptions = {}): ModelPrice | null {
  const { provider: rawProvider, model } = parseModelId(modelId);
  const provider = normaliseProvider(rawProvider);
  const local = (options.localProviders ?? DEFAULT_LOCAL_PROVIDERS).includes(provider);
  const base = local ? { input: 0, output: 0 } : (lookup(provider, model)?.price ?? null);
  if (options.price?.input !== undefined && options.price.output !== undefined)
    return { ...base, ...options.price } as ModelPrice;
  return base ? { ...base, ...options.price } : null;
}

function checkUsage(usage: Usage): void {
  if (typeof usage !== "object" || usage === null) {
    throw new LlmuxError({
      kind: "bad_request",
      param: "usage",
      message: "calculateCost: `usage` must be an object with prompt_tokens and completion_tokens",
    });
  }
  for (const field of ["prompt_tokens", "completion_tokens"] as const) {
    const v = usage[field];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new LlmuxError({
        kind: "bad_request",
        param: `usage.${field}`,
        message: `calculateCost: usage.${field} must be a finite number ≥ 0, got ${JSON.stringify(v)}`,
      });
    }
  }
}

const round = (usd: number): number => Math.round(usd * 1e10) / 1e10;
const perToken = (usdPerMillion: number) => usdPerMillion / 1_000_000;

/**
 * Cost of one call from its normalised usage (streamed or not). Local models cost 0; an unknown
 * model gives `costUsd: null` and a warning.
 *
 * @example
 * calculateCost({ model: "anthropic/claude-sonnet-4-0", usage: result.usage }).costUsd
 */
export function calculateCost(input: { model: string; usage: Usage } & PriceOptions): CostResult {
  checkUsage(input.usage);
  const { provider: rawProvider, model } = parseModelId(input.model);
  const provider = normaliseProvider(rawProvider);
  let price: ModelPrice | null;
  let source: CostResult["source"];
  if ((input.localProviders ?? DEFAULT_LOCAL_PROVIDERS).includes(provider)) {
    price = { input: 0, output: 0, ...input.price };
    source = input.price ? "override" : "local";
  } else {
    const found = lookup(provider, model);
    if (input.price?.input !== undefined && input.price.output !== undefined) {
      price = { ...found?.price, ...input.price } as ModelPrice;
      source = "override";
    } else if (found) {
      price = { ...found.price, ...input.price };
      source = input.price ? "override" : found.source;
    } else {
      return {
        costUsd: null,
        breakdown: null,
        price: null,
        source: null,
        warning: `no price known for "${input.model}": cost is unknown (set a price override for this deployment)`,
      };
    }
  }
  return { ...priceUsage(input.usage, price), price, source };
}

/**
 * Cost of `usage` at a known `price` (USD per million tokens): what `calculateCost` does once the
 * price is found. For callers that resolve a price once (`getModelPrice`) and charge many calls.
 *
 * @example
 * const price = getModelPrice("openai/gpt-4o-mini");
 * if (price) priceUsage(result.usage, price).costUsd;
 */
export function priceUsage(usage: Usage, price: ModelPrice): { costUsd: number; breakdown: CostBreakdown } {
  checkUsage(usage);
  const b = usageBreakdown(usage);
  const breakdown: CostBreakdown = {
    inputUsd: round(b.inputTokens * perToken(price.input)),
    cacheReadUsd: round(b.cacheReadTokens * perToken(price.cacheRead ?? price.input)),
    cacheWriteUsd: round(b.cacheWriteTokens * perToken(price.cacheWrite ?? price.input)),
    outputUsd: round(b.outputTokens * perToken(price.output)),
    reasoningUsd: round(b.reasoningTokens * perToken(price.reasoning ?? price.output)),
  };
  const costUsd = round(
    breakdown.inputUsd +
      breakdown.cacheReadUsd +
      breakdown.cacheWriteUsd +
      breakdown.outputUsd +
      breakdown.reasoningUsd,
  );
  return { costUsd, breakdown };
}

/**
 * Cost of a finished call, read from `result.usage` and the model id (`provider/model`).
 * `model` defaults to `result.model` when that already has a provider prefix.
 */
export function completionCost(result: ChatResult, model?: string, options: PriceOptions = {}): CostResult {
  const id = model ?? result.model;
  if (!result.usage) {
    return {
      costUsd: null,
      breakdown: null,
      price: null,
      source: null,
      warning: `"${id}" returned no usage: cost is unknown`,
    };
  }
  return calculateCost({ model: id, usage: result.usage, ...options });
}
