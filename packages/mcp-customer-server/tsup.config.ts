import { defineConfig } from "tsup";
import { llmuxTsup } from "../../tsup.base.ts";

export default defineConfig([
  llmuxTsup({ shims: true }),
  // The executable: ESM only, with a shebang.
  llmuxTsup({
    entry: ["src/cli.ts"],
    format: ["esm"],
    dts: false,
    clean: false,
    banner: { js: "#!/usr/bin/env node" },
  }),
]);
