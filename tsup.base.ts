import type { Options } from "tsup";

/**
 * The one tsup configuration every llmux package builds with:
 * ESM + CJS, `.d.ts`/`.d.cts`, sourcemaps, Node 22 target, dependencies left external.
 * In the CJS build a lazy `import("dep")` becomes `require("dep")`, so a CJS consumer gets the same
 * (CJS) copy of a dependency whether it was loaded lazily or not (one set of classes for `instanceof`).
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
    esbuildOptions(options, context) {
      if (context.format === "cjs") options.supported = { ...options.supported, "dynamic-import": false };
    },
    ...overrides,
  };
}
