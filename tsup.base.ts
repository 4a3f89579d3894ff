import type { Options } from "tsup";

/**
 * The one tsup configuration every llmux package builds with:
 * ESM + CJS, `.d.ts`/`.d.cts`, sourcemaps, Node 22 target, dependencies left external.
 */
export function llmuxTsup(overrides: Options = {}): Options {
  return {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node22",
    platform: "node",
    splitting: false,
    treeshake: true,
    outDir: "dist",
    ...overrides,
  };
}
