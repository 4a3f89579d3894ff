import { createRequire } from "node:module";

type Catalog = typeof import("@pydantic/genai-prices");

let catalog: Catalog | undefined;

/**
 * The `@pydantic/genai-prices` catalog, loaded on the first price look-up rather than on import.
 * Compiling it (1.6 MB of JavaScript) costs a process ≈13 MB of RSS for good, so a process that only
 * needs the prices of a few models can have them looked up elsewhere (`preloadModelPrices`).
 */
export function priceCatalog(): Catalog {
  catalog ??= createRequire(import.meta.url)("@pydantic/genai-prices") as Catalog;
  return catalog;
}
