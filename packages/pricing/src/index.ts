export type { CostBreakdown, CostResult, PriceOptions } from "./calculate-cost.js";
export {
  calculateCost,
  completionCost,
  DEFAULT_LOCAL_PROVIDERS,
  getModelPrice,
  priceUsage,
} from "./calculate-cost.js";
export type { ModelPrice } from "./model-price.js";
export { SUPPLEMENTARY_PRICES } from "./supplementary-prices.js";
