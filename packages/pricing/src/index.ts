export type { CostBreakdown, CostResult, PriceOptions } from "./calculate-cost.js";
export {
  calculateCost,
  completionCost,
  DEFAULT_LOCAL_PROVIDERS,
  getModelPrice,
  priceUsage,
} from "./calculate-cost.js";
export type { ModelPrice } from "./model-price.js";
export type { PreloadModelPricesOptions, PreloadModelPricesResult } from "./preload-model-prices.js";
export { preloadModelPrices } from "./preload-model-prices.js";
export { SUPPLEMENTARY_PRICES } from "./supplementary-prices.js";
