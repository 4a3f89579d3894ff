import { readFile } from "node:fs/promises";
import { LlmuxError } from "@llmux/core";
import { parse as parseYaml } from "yaml";
import type { BudgetConfig, DeploymentConfig, RouterConfig, RoutingStrategy } from "./router-config.js";

/** What a config file can say: everything but live objects (models, state, functions). */
export type RouterFileConfig = Omit<
  RouterConfig,
  "state" | "resolveModel" | "random" | "deployments" | "costRouting"
> & {
  deployments: Array<DeploymentConfig & { model: string }>;
  costRouting?: Omit<NonNullable<RouterConfig["costRouting"]>, "classify">;
  /** `redis://…` for shared state (from our `redis.url` or LiteLLM's `router_settings.redis_url`). */
  redisUrl?: string;
};

export interface ParsedRouterConfig {
  config: RouterFileConfig;
  /** Keys that were not understood or values that were adjusted: never silently dropped. */
  warnings: string[];
}

const LITELLM_STRATEGIES: Record<string, RoutingStrategy> = {
  "simple-shuffle": "weighted-shuffle",
  "least-busy": "least-busy",
  "latency-based-routing": "lowest-latency",
  "cost-based-routing": "lowest-cost",
  "usage-based-routing": "least-busy",
  "usage-based-routing-v2": "least-busy",
};
const STRATEGIES = new Set<RoutingStrategy>([
  "weighted-shuffle",
  "least-busy",
  "lowest-latency",
  "lowest-cost",
]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function fail(path: string, message: string): never {
  // "(at path)" rather than "path: …": a path ending in api_key followed by a colon reads like a secret to redaction.
  throw new LlmuxError({
    kind: "bad_request",
    param: path,
    message: `router config: ${message} (at ${path})`,
  });
}

/** Replaces `os.environ/NAME` (LiteLLM) and `${NAME}` with environment values. */
function substitute(value: unknown, env: Record<string, string | undefined>, path: string): unknown {
  if (typeof value === "string") {
    const litellm = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
    if (litellm) {
      const v = env[litellm[1]!];
      if (v === undefined) fail(path, `environment variable ${litellm[1]} is not set`);
      return v;
    }
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (_, name: string, fallback?: string) => {
        const v = env[name] ?? fallback;
        if (v === undefined) fail(path, `environment variable ${name} is not set`);
        return v;
      },
    );
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, env, `${path}[${i}]`));
  if (isObj(value))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, env, path ? `${path}.${k}` : k)]),
    );
  return value;
}

function num(v: unknown, path: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0)
    fail(path, `expected a number ≥ 0, got ${JSON.stringify(v)}`);
  return n;
}

/** LiteLLM writes fallbacks as `[{ "gpt-4o": ["claude"] }]`; we write `{ "gpt-4o": ["claude"] }`. */
function fallbackMap(v: unknown, path: string): Record<string, string[]> | undefined {
  if (v === undefined || v === null) return undefined;
  const entries: Array<[string, unknown]> = Array.isArray(v)
    ? v.flatMap((x) => (isObj(x) ? Object.entries(x) : []))
    : isObj(v)
      ? Object.entries(v)
      : fail(path, "expected a map of group → [groups]");
  return Object.fromEntries(
    entries.map(([k, list]) => {
      const arr = Array.isArray(list) ? list : [list];
      if (!arr.every((x) => typeof x === "string")) fail(`${path}.${k}`, "expected a list of group names");
      return [k, arr as string[]];
    }),
  );
}

function fromLiteLLM(doc: Obj, warnings: string[]): RouterFileConfig {
  const list = doc.model_list;
  if (!Array.isArray(list) || list.length === 0) fail("model_list", "expected a non-empty list");
  const deployments = list.map((entry, i): DeploymentConfig & { model: string } => {
    const path = `model_list[${i}]`;
    if (!isObj(entry)) fail(path, "expected a mapping");
    const group = entry.model_name;
    if (typeof group !== "string" || !group) fail(`${path}.model_name`, "expected a non-empty string");
    const params = isObj(entry.litellm_params)
      ? { ...entry.litellm_params }
      : fail(`${path}.litellm_params`, "expected a mapping");
    const model = params.model;
    if (typeof model !== "string" || !model.includes("/"))
      fail(`${path}.litellm_params.model`, `expected "provider/model", got ${JSON.stringify(model)}`);
    const info = isObj(entry.model_info) ? entry.model_info : {};
    const d: DeploymentConfig & { model: string } = { group, model, params: {} };
    for (const [k, v] of Object.entries(params)) {
      if (k === "model") continue;
      if (k === "rpm") d.rpm = num(v, `${path}.litellm_params.rpm`);
      else if (k === "weight") d.weight = num(v, `${path}.litellm_params.weight`);
      else if (k === "order") d.order = num(v, `${path}.litellm_params.order`);
      else if (k === "tags") d.tags = Array.isArray(v) ? v.map(String) : [String(v)];
      else if (k === "tpm")
        warnings.push(`${path}.litellm_params.tpm: token-per-minute limits are not enforced yet (rpm is)`);
      else if (k === "input_cost_per_token" || k === "output_cost_per_token") {
        d.price = {
          ...d.price,
          [k.startsWith("input") ? "input" : "output"]:
            (num(v, `${path}.litellm_params.${k}`) ?? 0) * 1_000_000,
        };
      } else d.params![k] = v;
    }
    if (typeof info.id === "string") d.id = info.id;
    if (info.local === true || info.compliant === true) d.local = true;
    const ctx = num(info.max_input_tokens ?? info.max_tokens, `${path}.model_info.max_input_tokens`);
    if (ctx !== undefined) d.contextWindow = ctx;
    return d;
  });
  const rs = isObj(doc.router_settings) ? doc.router_settings : {};
  const ls = isObj(doc.litellm_settings) ? doc.litellm_settings : {};
  const config: RouterFileConfig = { deployments };
  const strategy = rs.routing_strategy;
  if (typeof strategy === "string") {
    const mapped = LITELLM_STRATEGIES[strategy];
    if (mapped) config.strategy = mapped;
    else
      warnings.push(
        `router_settings.routing_strategy "${strategy}" is not supported; using weighted-shuffle`,
      );
  }
  const retries = num(rs.num_retries ?? ls.num_retries, "router_settings.num_retries");
  if (retries !== undefined) config.retry = { numRetries: retries };
  const timeout = num(rs.timeout ?? ls.request_timeout, "router_settings.timeout");
  if (timeout !== undefined) config.timeoutMs = timeout * 1000;
  const allowedFails = num(rs.allowed_fails, "router_settings.allowed_fails");
  const cooldown = num(rs.cooldown_time, "router_settings.cooldown_time");
  if (allowedFails !== undefined || cooldown !== undefined) {
    config.cooldown = { allowedFails, cooldownMs: cooldown === undefined ? undefined : cooldown * 1000 };
  }
  config.fallbacks = fallbackMap(rs.fallbacks ?? ls.fallbacks, "router_settings.fallbacks");
  config.contextWindowFallbacks = fallbackMap(
    rs.context_window_fallbacks ?? ls.context_window_fallbacks,
    "router_settings.context_window_fallbacks",
  );
  config.contentPolicyFallbacks = fallbackMap(
    rs.content_policy_fallbacks ?? ls.content_policy_fallbacks,
    "router_settings.content_policy_fallbacks",
  );
  if (typeof rs.redis_url === "string") config.redisUrl = rs.redis_url;
  else if (typeof rs.redis_host === "string")
    config.redisUrl = `redis://${rs.redis_host}:${rs.redis_port ?? 6379}`;
  const known = new Set([
    "routing_strategy",
    "num_retries",
    "timeout",
    "allowed_fails",
    "cooldown_time",
    "fallbacks",
    "context_window_fallbacks",
    "content_policy_fallbacks",
    "redis_url",
    "redis_host",
    "redis_port",
  ]);
  for (const k of Object.keys(rs))
    if (!known.has(k)) warnings.push(`router_settings.${k} is not supported and was ignored`);
  for (const k of Object.keys(ls)) {
    if (
      ![
        "num_retries",
        "request_timeout",
        "fallbacks",
        "context_window_fallbacks",
        "content_policy_fallbacks",
      ].includes(k)
    ) {
      warnings.push(`litellm_settings.${k} is not supported and was ignored`);
    }
  }
  for (const k of Object.keys(doc)) {
    if (!["model_list", "router_settings", "litellm_settings", "general_settings", "llmux"].includes(k))
      warnings.push(`top-level key "${k}" was ignored`);
  }
  if (isObj(doc.llmux)) Object.assign(config, fromNative(doc.llmux, warnings, false));
  return config;
}

function fromNative(doc: Obj, warnings: string[], requireDeployments = true): Partial<RouterFileConfig> {
  const out: Partial<RouterFileConfig> = {};
  if (doc.deployments !== undefined || requireDeployments) {
    if (!Array.isArray(doc.deployments) || doc.deployments.length === 0)
      fail("deployments", "expected a non-empty list");
    out.deployments = doc.deployments.map((d, i) => {
      if (!isObj(d)) fail(`deployments[${i}]`, "expected a mapping");
      if (typeof d.model !== "string") fail(`deployments[${i}].model`, 'expected "provider/model"');
      if (typeof d.group !== "string") fail(`deployments[${i}].group`, "expected a group name");
      return d as unknown as DeploymentConfig & { model: string };
    });
  }
  const passthrough = [
    "name",
    "defaultGroup",
    "strategy",
    "retry",
    "cooldown",
    "fallbacks",
    "contextWindowFallbacks",
    "contentPolicyFallbacks",
    "timeoutMs",
    "totalTimeoutMs",
    "costRouting",
    "compliance",
    "budgets",
  ] as const;
  for (const k of passthrough) if (doc[k] !== undefined) (out as Obj)[k] = doc[k];
  if (out.strategy !== undefined && !STRATEGIES.has(out.strategy))
    fail("strategy", `expected one of ${[...STRATEGIES].join(", ")}`);
  if (out.budgets !== undefined) {
    (out.budgets as BudgetConfig[]).forEach((b, i) => {
      if (!isObj(b) || typeof b.scope !== "string")
        fail(`budgets[${i}].scope`, "expected group:/deployment:/tag:/key: scope");
      num(b.maxUsd, `budgets[${i}].maxUsd`);
    });
  }
  if (isObj(doc.redis) && typeof doc.redis.url === "string") out.redisUrl = doc.redis.url;
  for (const k of Object.keys(doc)) {
    if (![...passthrough, "deployments", "redis", "server", "gateway", "keys"].includes(k))
      warnings.push(`key "${k}" was ignored`);
  }
  return out;
}

/**
 * Reads a router config: our shape (`deployments`, `strategy`, `fallbacks`…) or LiteLLM's
 * `model_list` / `router_settings` / `litellm_settings`, with `os.environ/VAR` and `${VAR}` substituted.
 *
 * @example
 * const { config, warnings } = parseRouterConfig(await readFile("config.yaml", "utf8"));
 * const router = createRouter({ ...config, resolveModel });
 */
export function parseRouterConfig(
  source: string | Record<string, unknown>,
  env: Record<string, string | undefined> = process.env,
): ParsedRouterConfig {
  let doc: unknown = source;
  if (typeof source === "string") {
    try {
      doc = parseYaml(source);
    } catch (e) {
      throw new LlmuxError({
        kind: "bad_request",
        message: `router config: not valid YAML: ${(e as Error).message}`,
        cause: e,
      });
    }
  }
  if (!isObj(doc)) fail("(root)", "expected a mapping");
  const substituted = substitute(doc, env, "") as Obj;
  const warnings: string[] = [];
  const config =
    "model_list" in substituted
      ? fromLiteLLM(substituted, warnings)
      : (fromNative(substituted, warnings) as RouterFileConfig);
  return { config, warnings };
}

/** `parseRouterConfig` on a file. */
export async function loadRouterConfigFile(
  path: string,
  env?: Record<string, string | undefined>,
): Promise<ParsedRouterConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new LlmuxError({
      kind: "bad_request",
      message: `router config: cannot read ${path}: ${(e as Error).message}`,
      cause: e,
    });
  }
  return parseRouterConfig(text, env);
}
