import type { ModelPrice } from "./model-price.js";

/**
 * Prices the bundled catalog (@pydantic/genai-prices) does not carry yet, in USD per million tokens.
 * Source: Alibaba Cloud Model Studio pricing, international (Singapore) deployment, lowest tier,
 * transcribed 2026-11-25. Update by editing this table; catalog prices always win when present.
 */
export const SUPPLEMENTARY_PRICES: Record<string, Record<string, ModelPrice>> = {
  qwen: {
    "qwen-max": { input: 1.6, output: 6.4, cacheRead: 0.64 },
    "qwen3-max": { input: 1.2, output: 6, cacheRead: 0.24 },
    "qwen-plus": { input: 0.4, output: 1.2, cacheRead: 0.16 },
    "qwen-turbo": { input: 0.05, output: 0.2, cacheRead: 0.02 },
    "qwen-flash": { input: 0.05, output: 0.4, cacheRead: 0.01 },
    "qwen3-coder-plus": { input: 1, output: 5, cacheRead: 0.1 },
  },
};
