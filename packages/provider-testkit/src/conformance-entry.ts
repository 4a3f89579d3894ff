// `@llmux/provider-testkit/conformance`: the adapter conformance suite. A separate entry because it
// imports vitest, which demos that only want the simulated provider or a fake server must not need.

export type { ConformanceFeature, ConformanceOptions } from "./conformance.js";
export { CONFORMANCE_FEATURES, DEFAULT_ERROR_CASES, runConformance } from "./conformance.js";
