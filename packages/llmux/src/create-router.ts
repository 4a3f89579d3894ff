import {
  createRouter as createBareRouter,
  createRedisState,
  loadRouterConfigFile,
  parseRouterConfig,
  type Router,
  type RouterConfig,
  type RouterFileConfig,
} from "@llmux/router";
import { resolveModel } from "./resolve-model.js";

/** `RouterConfig` where deployments may name models as `"provider/model"` strings. */
export type LlmuxRouterConfig = Omit<RouterConfig, "resolveModel"> & {
  resolveModel?: RouterConfig["resolveModel"];
};

/**
 * `@llmux/router`'s `createRouter` with provider resolution built in.
 *
 * @example
 * const router = createRouter({ deployments: [{ group: "main", model: "openai/gpt-4o-mini" }, { group: "main", model: "ollama/llama3.1", local: true }] });
 */
export function createRouter(config: LlmuxRouterConfig): Router {
  return createBareRouter({ resolveModel: (id, params) => resolveModel(id, params), ...config });
}

function fromFileConfig(config: RouterFileConfig): LlmuxRouterConfig {
  const { redisUrl, ...rest } = config;
  return { ...rest, ...(redisUrl ? { state: createRedisState({ url: redisUrl }) } : {}) };
}

/**
 * Reads our YAML or LiteLLM's `config.yaml` into a router config (use with `createRouter`).
 *
 * @example
 * const { config, warnings } = await loadConfig("config.yaml");
 * const router = createRouter(config);
 */
export async function loadConfig(path: string): Promise<{ config: LlmuxRouterConfig; warnings: string[] }> {
  const parsed = await loadRouterConfigFile(path);
  return { config: fromFileConfig(parsed.config), warnings: parsed.warnings };
}

/** `loadConfig` for text already in memory. */
export function parseConfig(
  text: string,
  env?: Record<string, string | undefined>,
): { config: LlmuxRouterConfig; warnings: string[] } {
  const parsed = parseRouterConfig(text, env);
  return { config: fromFileConfig(parsed.config), warnings: parsed.warnings };
}
