import { defineConfig } from "tsup";
import { llmuxTsup } from "../../tsup.base.ts";

// An app: ESM executables, no type declarations. The page itself is plain files in public/.
export default defineConfig(
  llmuxTsup({
    entry: ["src/cli.ts", "src/demo.ts"],
    format: ["esm"],
    dts: false,
    banner: { js: "#!/usr/bin/env node" },
  }),
);
