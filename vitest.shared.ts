import { defineProject } from "vitest/config";

/** Shared per-package vitest settings; `name` is the package name, shown in reports. */
export function llmuxVitest(name: string, overrides: { testTimeout?: number; include?: string[] } = {}) {
  return defineProject({
    test: {
      name,
      include: overrides.include ?? ["src/**/*.test.ts", "test/**/*.test.ts"],
      environment: "node",
      // The CI machine has two cores and other work on it: be generous, never flaky.
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: 60_000,
    },
  });
}
