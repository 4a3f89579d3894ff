import { defineConfig } from "tsup";
import { llmuxTsup } from "../../tsup.base.ts";

export default defineConfig([
  // shims: `import.meta.url` in the CJS build (the catalog's lazy require, the look-up child's path).
  llmuxTsup({ shims: true }),
  // The child process of preloadModelPrices: ESM only, beside index.js and index.cjs.
  llmuxTsup({ entry: ["src/price-lookup-child.ts"], format: ["esm"], dts: false, clean: false }),
]);
