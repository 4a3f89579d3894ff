/** A model's price in USD per million tokens. Missing cache/reasoning prices fall back to input/output. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  /** Price of reasoning tokens when it differs from output (rare). */
  reasoning?: number;
}
