import { defineConfig } from "tsup";
import { llmuxTsup } from "../../tsup.base.ts";

// An app: one ESM executable, no type declarations.
export default defineConfig(
  llmuxTsup({ entry: ["src/cli.ts"], format: ["esm"], dts: false, banner: { js: "#!/usr/bin/env node" } }),
);
