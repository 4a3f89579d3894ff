import type { ChatModel, ChatRequest } from "@llmux/core";
import type { PiiOptions } from "@llmux/pii";
import type { ModelPrice } from "@llmux/pricing";
import type { RouterState } from "./router-state.js";

/** One place a request can be sent: a model (or a `provider/model` id to resolve) in a group. */
export interface DeploymentConfig {
  /** Unique id, shown in traces, headers and the ledger. Default: the model id. */
  id?: string;
  /** Model group (what callers ask for as `request.model`). */
  group: string;
  model: ChatModel | string;
  /** Provider parameters passed to `resolveModel` (api keys, base URLs…). */
  params?: Record<string, unknown>;
  /** Weight for the weighted-shuffle strategy (default 1). */
  weight?: number;
  /** Requests per minute this deployment may take (shared across router instances with Redis). */
  rpm?: number;
  tags?: string[];
  /** Context window in tokens, for context-window fallbacks and routing. */
  contextWindow?: number;
  /** Price override, USD per million tokens. */
  price?: Partial<ModelPrice>;
  /** Runs on premises: eligible for requests that contain personal data. */
  local?: boolean;
  /** Lower order is tried first; deployments of equal order share traffic by strategy. */
  order?: number;
}

export type RoutingStrategy = "weighted-shuffle" | "least-busy" | "lowest-latency" | "lowest-cost";

export interface CostRoutingConfig {
  /** Group that serves requests judged simple. */
  cheapGroup: string;
  /** Only requests for these groups are considered (default: all but the cheap group). */
  fromGroups?: string[];
  /** A request whose last user message is longer than this is not simple (default 280 characters). */
  maxChars?: number;
  /** Words that mark a request as not simple (default: calculate, analyze, compare, explain, …). */
  complexKeywords?: string[];
  /** A request that already carries tool results is not simple (default true). */
  toolResultsAreComplex?: boolean;
  /** Your own verdict (e.g. a cheap model's): true = simple. Runs after the built-in checks pass. */
  classify?: (request: ChatRequest) => boolean | Promise<boolean>;
}

export type ComplianceMode = "route" | "redact" | "block";

export interface ComplianceConfig {
  /** `route` (default): only local deployments; `redact`: mask PII for cloud deployments and restore answers; `block`: refuse. */
  mode?: ComplianceMode;
  /** Group to use when the requested group has no local deployment. */
  localGroup?: string;
  /** Which detectors to run and what to allow. */
  pii?: PiiOptions;
}

export interface BudgetConfig {
  /** `group:<name>`, `deployment:<id>`, `tag:<tag>` or `key:<virtual key id>`. */
  scope: string;
  maxUsd: number;
  /** Budget period in ms (default one day). */
  periodMs?: number;
}

export interface RetryConfig {
  /** Retries on the same group before falling back (default 2). */
  numRetries?: number;
  /** First backoff delay (default 200 ms), doubled each retry, with full jitter. */
  baseDelayMs?: number;
  /** Longest wait between attempts, `retry-after` included (default 10 s). */
  maxDelayMs?: number;
}

export interface CooldownConfig {
  /** Failures per minute a deployment may have before it cools down (default 3). */
  allowedFails?: number;
  /** How long a failing deployment is skipped (default 30 s). */
  cooldownMs?: number;
}

export interface RouterConfig {
  name?: string;
  deployments: DeploymentConfig[];
  /** Group used when `request.model` is absent (default: the first deployment's group). */
  defaultGroup?: string;
  strategy?: RoutingStrategy;
  retry?: RetryConfig;
  cooldown?: CooldownConfig;
  /** General failures: group → ordered groups to try next. */
  fallbacks?: Record<string, string[]>;
  /** `context_window` errors: group → larger-context groups. */
  contextWindowFallbacks?: Record<string, string[]>;
  /** `content_policy` errors: group → other groups. */
  contentPolicyFallbacks?: Record<string, string[]>;
  /** Per-attempt timeout in ms. */
  timeoutMs?: number;
  /** Whole-request timeout in ms (all attempts). */
  totalTimeoutMs?: number;
  costRouting?: CostRoutingConfig;
  compliance?: ComplianceConfig | false;
  budgets?: BudgetConfig[];
  /** Shared state (cooldowns, rpm, latency, spend). Default: in memory. */
  state?: RouterState;
  /** Turns `provider/model` strings into models (the `llmux` package supplies one). */
  resolveModel?: (modelId: string, params: Record<string, unknown>) => ChatModel;
  /** Random source for weighted shuffle and jitter (tests pass a seeded one). */
  random?: () => number;
}
