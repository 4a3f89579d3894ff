import { defineConfig } from "tsup";
import { llmuxTsup } from "../../tsup.base.ts";

export default defineConfig(
  llmuxTsup({ entry: { index: "src/index.ts", conformance: "src/conformance-entry.ts" } }),
);
