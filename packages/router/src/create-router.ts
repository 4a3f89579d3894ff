import {
  type BatchedChatStream,
  batchedChatStream,
  type CallOptions,
  type ChatChunk,
  type ChatModel,
  type ChatRequest,
  type ChatResult,
  chunkBatches,
  createCallSignal,
  type ErrorKind,
  isLlmuxError,
  LlmuxError,
  parseModelId,
  StreamAccumulator,
} from "@llmux/core";
import { restorePii } from "@llmux/pii";
import { getModelPrice, type ModelPrice, priceUsage } from "@llmux/pricing";
import { classifySimpleRequest } from "./classify-simple-request.js";
import type { DecisionTrace } from "./decision-trace.js";
import type { DeploymentConfig, RouterConfig } from "./router-config.js";
import { createMemoryState, type RouterState } from "./router-state.js";
import {
  redactRequest,
  StreamingRestorer,
  scanRequestForPii,
  summarizeEvidence,
} from "./scan-request-for-pii.js";
import { orderByStrategy } from "./select-deployment.js";
import { type LedgerEntry, UsageLedger } from "./usage-ledger.js";

export interface Deployment {
  readonly id: string;
  readonly group: string;
  readonly model: ChatModel;
  /** `provider/model`, used for pricing and the ledger. */
  readonly modelId: string;
  readonly provider: string;
  readonly local: boolean;
  readonly tags: readonly string[];
  readonly config: DeploymentConfig;
}

export interface RouterResultEvent {
  trace: DecisionTrace;
  result?: ChatResult;
  error?: LlmuxError;
}

/** A `ChatModel` made of `ChatModel`s: rules, strategy, retries, fallbacks, cooldowns, budgets, ledger. */
export interface Router extends ChatModel {
  readonly ledger: UsageLedger;
  readonly groups: readonly string[];
  readonly deployments: readonly Deployment[];
  on(event: "attempt", listener: (entry: LedgerEntry) => void): () => void;
  on(event: "result", listener: (event: RouterResultEvent) => void): () => void;
  close(): Promise<void>;
}

const DAY = 86_400_000;

interface Plan {
  trace: DecisionTrace;
  group: string;
  pii: boolean;
  redact: boolean;
  tags: string[];
  key?: string;
}

interface Attempted<T> {
  value: T;
  deployment: Deployment;
  replacements?: Map<string, string>;
  startedAt: number;
}

const NO_TAGS: string[] = []; // shared: plans only read their tags

function tagsFrom(request: ChatRequest, options: CallOptions): string[] {
  const raw = options.metadata?.tags ?? request.metadata?.tags;
  if (Array.isArray(raw)) return raw.map(String).filter(Boolean);
  if (typeof raw === "string")
    return raw
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
  return NO_TAGS;
}

const runChat = (d: Deployment, req: ChatRequest, opts: CallOptions) => d.model.chat(req, opts);

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Deployments grouped by `order`, lowest first. */
function splitByOrder(list: readonly Deployment[]): Deployment[][] {
  const orders = [...new Set(list.map((d) => d.config.order ?? 0))].sort((a, b) => a - b);
  return orders.map((order) => list.filter((d) => (d.config.order ?? 0) === order));
}

/**
 * Builds a router over deployments.
 *
 * @example
 * const router = createRouter({
 *   deployments: [
 *     { id: "cloud", group: "main", model: createOpenAI().chatModel("gpt-4o-mini") },
 *     { id: "local", group: "main", model: createOllama().chatModel("llama3.1"), local: true },
 *   ],
 *   compliance: { mode: "route" },
 * });
 * const result = await router.chat({ model: "main", messages });
 */
export function createRouter(config: RouterConfig): Router {
  if (!config || !Array.isArray(config.deployments) || config.deployments.length === 0) {
    throw new LlmuxError({
      kind: "bad_request",
      param: "deployments",
      message: "createRouter: `deployments` must be a non-empty array",
    });
  }
  const name = config.name ?? "router";
  const random = config.random ?? Math.random;
  const state: RouterState = config.state ?? createMemoryState();
  const strategy = config.strategy ?? "weighted-shuffle";
  const numRetries = config.retry?.numRetries ?? 2;
  const baseDelay = config.retry?.baseDelayMs ?? 200;
  const maxDelay = config.retry?.maxDelayMs ?? 10_000;
  const allowedFails = config.cooldown?.allowedFails ?? 3;
  const cooldownMs = config.cooldown?.cooldownMs ?? 30_000;
  const compliance = config.compliance === false ? undefined : (config.compliance ?? undefined);
  const ledger = new UsageLedger();
  const listeners = {
    attempt: new Set<(e: LedgerEntry) => void>(),
    result: new Set<(e: RouterResultEvent) => void>(),
  };
  const inflight = new Map<string, number>();

  const seen = new Set<string>();
  const deployments: Deployment[] = config.deployments.map((d, i) => {
    if (!d || typeof d.group !== "string" || d.group === "") {
      throw new LlmuxError({
        kind: "bad_request",
        param: `deployments[${i}].group`,
        message: `createRouter: deployments[${i}].group must be a non-empty string`,
      });
    }
    let model: ChatModel;
    if (typeof d.model === "string") {
      if (!config.resolveModel) {
        throw new LlmuxError({
          kind: "bad_request",
          param: `deployments[${i}].model`,
          message: `createRouter: deployments[${i}].model is the string "${d.model}" but no resolveModel was given; pass a ChatModel, or use createRouter from the "llmux" package, which resolves provider/model ids`,
        });
      }
      model = config.resolveModel(d.model, d.params ?? {});
    } else if (d.model && typeof d.model.chat === "function" && typeof d.model.stream === "function") {
      model = d.model;
    } else {
      throw new LlmuxError({
        kind: "bad_request",
        param: `deployments[${i}].model`,
        message: `createRouter: deployments[${i}].model must be a ChatModel or a "provider/model" string`,
      });
    }
    const modelId = typeof d.model === "string" ? d.model : model.id;
    const id = d.id ?? modelId;
    if (seen.has(id)) {
      throw new LlmuxError({
        kind: "bad_request",
        param: `deployments[${i}].id`,
        message: `createRouter: two deployments have the id "${id}"; give each a unique id`,
      });
    }
    seen.add(id);
    let provider = "unknown";
    try {
      provider = parseModelId(modelId).provider;
    } catch {
      // A model id without provider prefix: priced as unknown.
    }
    return {
      id,
      group: d.group,
      model,
      modelId,
      provider,
      local: d.local === true,
      tags: d.tags ?? [],
      config: d,
    };
  });
  const byGroup = new Map<string, Deployment[]>();
  for (const d of deployments) byGroup.set(d.group, [...(byGroup.get(d.group) ?? []), d]);
  const groups = [...byGroup.keys()];
  const idsByGroup = new Map([...byGroup].map(([g, list]) => [g, list.map((d) => d.id)]));
  // Work the common case skips: groups whose deployments all share one `order`, routers without budgets.
  const tiered = new Map([...byGroup].map(([g, list]) => [g, splitByOrder(list).length > 1]));
  const budgeted = (config.budgets?.length ?? 0) > 0;
  const strategyContext = { state, inflight, random };
  // A deployment's price is looked up once (catalog + its override); `null`: unknown, cost not tracked.
  const prices = new Map<Deployment, ModelPrice | null>();
  const priceOf = (d: Deployment): ModelPrice | null => {
    let price = prices.get(d);
    if (price === undefined) {
      try {
        price = getModelPrice(d.modelId, { price: d.config.price });
      } catch {
        price = null;
      }
      prices.set(d, price);
    }
    return price;
  };
  const defaultGroup = config.defaultGroup ?? groups[0]!;
  for (const [field, map] of [
    ["fallbacks", config.fallbacks],
    ["contextWindowFallbacks", config.contextWindowFallbacks],
    ["contentPolicyFallbacks", config.contentPolicyFallbacks],
  ] as const) {
    for (const [from, to] of Object.entries(map ?? {})) {
      for (const g of [from, ...to]) {
        if (!byGroup.has(g)) {
          throw new LlmuxError({
            kind: "bad_request",
            param: field,
            message: `createRouter: ${field} names the group "${g}", which has no deployment (groups: ${groups.join(", ")})`,
          });
        }
      }
    }
  }

  const emitAttempt = (entry: LedgerEntry) => {
    ledger.record(entry);
    for (const l of listeners.attempt) l(entry);
  };

  async function plan(request: ChatRequest, options: CallOptions): Promise<Plan> {
    if (!request || !Array.isArray(request.messages) || request.messages.length === 0) {
      throw new LlmuxError({
        kind: "bad_request",
        param: "messages",
        message: `${name}: \`messages\` must be a non-empty array`,
      });
    }
    const requested = request.model ?? defaultGroup;
    if (!byGroup.has(requested)) {
      throw new LlmuxError({
        kind: "not_found",
        param: "model",
        message: `${name}: unknown model group "${requested}"; available: ${groups.join(", ")}`,
      });
    }
    const trace: DecisionTrace = {
      router: name,
      requestedGroup: requested,
      strategy,
      steps: [],
      eligible: [],
      excluded: [],
      attempts: [],
    };
    let group = requested;
    const tags = tagsFrom(request, options);
    const key = typeof options.metadata?.key === "string" ? options.metadata.key : undefined;
    if (key) {
      for (const b of config.budgets ?? []) {
        if (b.scope !== `key:${key}`) continue;
        const spent = await state.spend(b.scope, b.periodMs ?? DAY);
        if (spent >= b.maxUsd) {
          trace.steps.push({
            rule: "budget",
            outcome: "refused",
            evidence: `key ${key} spent $${spent.toFixed(4)} of $${b.maxUsd}`,
          });
          throw new LlmuxError({
            kind: "rate_limit",
            retryable: false,
            code: "budget_exceeded",
            message: `${name}: the budget of key "${key}" is used up ($${spent.toFixed(4)} of $${b.maxUsd} this period)`,
          });
        }
      }
    }
    let pii = false;
    let redact = false;
    if (compliance) {
      const evidence = scanRequestForPii(request, compliance.pii);
      pii = evidence.length > 0;
      const mode = compliance.mode ?? "route";
      if (!pii) {
        trace.steps.push({
          rule: "compliance",
          outcome: "no personal data found: every deployment eligible",
        });
      } else if (mode === "block") {
        trace.steps.push({ rule: "compliance", outcome: "blocked", evidence: summarizeEvidence(evidence) });
        throw complianceError(
          `${name}: the request contains personal data (${summarizeEvidence(evidence)}) and the compliance mode is "block"`,
          trace,
        );
      } else if (mode === "redact") {
        redact = true;
        trace.steps.push({
          rule: "compliance",
          outcome: "personal data will be masked for non-local deployments",
          evidence: summarizeEvidence(evidence),
        });
      } else {
        const hasLocal = (byGroup.get(group) ?? []).some((d) => d.local);
        if (!hasLocal && compliance.localGroup && byGroup.has(compliance.localGroup)) {
          trace.steps.push({
            rule: "compliance",
            outcome: `personal data found: group "${group}" has no local deployment → local group "${compliance.localGroup}"`,
            evidence: summarizeEvidence(evidence),
          });
          group = compliance.localGroup;
        } else {
          trace.steps.push({
            rule: "compliance",
            outcome: "personal data found: only local deployments are eligible",
            evidence: summarizeEvidence(evidence),
          });
        }
      }
    }
    // Compliance outranks cost: a request with personal data stays where a compliant model can serve it.
    if (config.costRouting && pii && !redact) {
      trace.steps.push({
        rule: "cost",
        outcome: "skipped: the request contains personal data, compliance decides",
      });
    } else if (config.costRouting) {
      const cr = config.costRouting;
      const applies = cr.fromGroups ? cr.fromGroups.includes(group) : group !== cr.cheapGroup;
      if (applies && byGroup.has(cr.cheapGroup)) {
        const verdict = await classifySimpleRequest(request, cr);
        if (verdict.simple) group = cr.cheapGroup;
        trace.steps.push({
          rule: "cost",
          outcome: verdict.simple
            ? `simple request → cheap group "${cr.cheapGroup}"`
            : `not simple → stays on "${group}"`,
          evidence: verdict.evidence,
        });
      }
    }
    if (tags.length) trace.steps.push({ rule: "tags", outcome: `request tags: ${tags.join(", ")}` });
    return { trace, group, pii, redact, tags, key };
  }

  function complianceError(message: string, trace: DecisionTrace): LlmuxError {
    const err = new LlmuxError({
      kind: "content_policy",
      retryable: false,
      code: "pii_not_compliant",
      message,
    });
    (err as LlmuxError & { trace?: DecisionTrace }).trace = trace;
    return err;
  }

  function exclude(trace: DecisionTrace, deployment: string, reason: string) {
    if (!trace.excluded.some((x) => x.deployment === deployment && x.reason === reason))
      trace.excluded.push({ deployment, reason });
  }

  async function pick(group: string, p: Plan, failed?: Set<string>): Promise<Deployment | undefined> {
    const all = byGroup.get(group) ?? [];
    let eligible = all;
    if (p.pii && !p.redact) {
      for (const d of eligible)
        if (!d.local) exclude(p.trace, d.id, "not local, and the request contains personal data");
      eligible = eligible.filter((d) => d.local);
    }
    if (p.tags.length) {
      const tagged = eligible.filter((d) => p.tags.every((t) => d.tags.includes(t)));
      if (tagged.length) {
        for (const d of eligible)
          if (!tagged.includes(d)) exclude(p.trace, d.id, `lacks tags ${p.tags.join(", ")}`);
        eligible = tagged;
      }
    }
    const cooling = await state.coolingDown(
      eligible === all ? (idsByGroup.get(group) ?? []) : eligible.map((d) => d.id),
    );
    if (cooling.size) {
      for (const d of eligible)
        if (cooling.has(d.id)) exclude(p.trace, d.id, "cooling down after repeated failures");
      eligible = eligible.filter((d) => !cooling.has(d.id));
    }
    if (budgeted) {
      const withinBudget: Deployment[] = [];
      for (const d of eligible) {
        let over: string | undefined;
        for (const b of config.budgets ?? []) {
          const applies =
            b.scope === `group:${d.group}` ||
            b.scope === `deployment:${d.id}` ||
            d.tags.some((t) => b.scope === `tag:${t}`);
          if (!applies) continue;
          const spent = await state.spend(b.scope, b.periodMs ?? DAY);
          if (spent >= b.maxUsd) over = `${b.scope} budget used ($${spent.toFixed(4)} of $${b.maxUsd})`;
        }
        if (over) exclude(p.trace, d.id, over);
        else withinBudget.push(d);
      }
      eligible = withinBudget;
    }
    // Prefer deployments that have not failed for this request; retry a failed one only if none is left.
    if (failed?.size) {
      const fresh = eligible.filter((d) => !failed.has(d.id));
      if (fresh.length) eligible = fresh;
    }
    if (eligible.length === 0) return undefined;
    // Lower `order` first; within a tier the strategy decides; a tier whose rpm is used up gives way.
    const tiers = tiered.get(group) ? splitByOrder(eligible) : [eligible];
    for (const tier of tiers) {
      for (const d of tier) if (!p.trace.eligible.includes(d.id)) p.trace.eligible.push(d.id);
      const ordered = tier.length === 1 ? tier : await orderByStrategy(tier, strategy, strategyContext);
      for (const d of ordered) {
        if (d.config.rpm === undefined || (await state.tryAcquireRpm(d.id, d.config.rpm))) return d;
        exclude(p.trace, d.id, `rpm limit ${d.config.rpm} reached`);
      }
    }
    return undefined;
  }

  function fallbacksFor(group: string, kind: ErrorKind | undefined): string[] {
    if (kind === "context_window")
      return config.contextWindowFallbacks?.[group] ?? config.fallbacks?.[group] ?? [];
    if (kind === "content_policy")
      return config.contentPolicyFallbacks?.[group] ?? config.fallbacks?.[group] ?? [];
    return config.fallbacks?.[group] ?? [];
  }

  function asLlmuxError(raw: unknown, deployment: Deployment): LlmuxError {
    if (isLlmuxError(raw)) return raw;
    const message = raw instanceof Error ? raw.message : String(raw);
    return new LlmuxError({
      kind: "server",
      message: `deployment ${deployment.id} threw: ${message}`,
      cause: raw,
      provider: deployment.provider,
    });
  }

  async function attempt<T>(
    request: ChatRequest,
    options: CallOptions,
    p: Plan,
    stream: boolean,
    run: (d: Deployment, req: ChatRequest, opts: CallOptions) => Promise<T>,
  ): Promise<Attempted<T>> {
    const overall = createCallSignal(
      { signal: options.signal, timeoutMs: config.totalTimeoutMs },
      { provider: name },
    );
    const queue = [p.group];
    const visited: string[] = []; // groups tried: a few at most
    let failed: Set<string> | undefined; // made on the first failure (most requests have none)
    let lastError: LlmuxError | undefined;
    try {
      while (queue.length) {
        const group = queue.shift()!;
        if (visited.includes(group)) continue;
        visited.push(group);
        if (group !== p.group) {
          p.trace.steps.push({
            rule: "fallback",
            outcome: `trying group "${group}"`,
            evidence: lastError ? `${lastError.kind}: ${lastError.message}` : undefined,
          });
        }
        for (let retry = 0; retry <= numRetries; retry++) {
          const deployment = await pick(group, p, failed);
          if (!deployment) break;
          let sent = request;
          let replacements: Map<string, string> | undefined;
          if (p.redact && !deployment.local) {
            const r = redactRequest({ ...request, model: undefined }, compliance?.pii);
            sent = r.request;
            replacements = r.replacements;
          } else sent = { ...request, model: undefined };
          const startedAt = Date.now();
          inflight.set(deployment.id, (inflight.get(deployment.id) ?? 0) + 1);
          // The router enforces the per-attempt timeout itself, even on a model that ignores signals.
          const attemptTimeoutMs = config.timeoutMs ?? options.timeoutMs;
          const perAttempt = createCallSignal(
            { signal: overall.signal, timeoutMs: attemptTimeoutMs },
            { provider: deployment.provider, model: deployment.id },
          );
          const timed = attemptTimeoutMs !== undefined || config.totalTimeoutMs !== undefined;
          try {
            const running = run(deployment, sent, {
              ...options,
              signal: perAttempt.signal,
              timeoutMs: undefined,
            });
            // Racing only matters where the router itself may abort (a timeout); the caller's own
            // signal reaches the model directly.
            const value = timed ? await raceAbort(running, perAttempt.signal!) : await running;
            return { value, deployment, replacements, startedAt };
          } catch (raw) {
            const err =
              perAttempt.abortError(raw) ?? overall.abortError(raw) ?? asLlmuxError(raw, deployment);
            const latencyMs = Date.now() - startedAt;
            p.trace.attempts.push({
              deployment: deployment.id,
              group,
              outcome: "failure",
              errorKind: err.kind,
              error: err.message.slice(0, 200),
              latencyMs,
              redacted: replacements !== undefined,
            });
            emitAttempt({
              at: startedAt,
              key: p.key,
              group,
              deployment: deployment.id,
              model: deployment.modelId,
              outcome: "failure",
              errorKind: err.kind,
              latencyMs,
              costUsd: 0,
              stream,
            });
            if (overall.signal?.aborted || err.kind === "aborted") throw err;
            if (err.isCallerError) throw err;
            failed ??= new Set();
            failed.add(deployment.id);
            lastError = err;
            if (await state.recordFailure(deployment.id, allowedFails, cooldownMs)) {
              exclude(
                p.trace,
                deployment.id,
                `put in cooldown for ${cooldownMs} ms after ${allowedFails + 1} failures in a minute`,
              );
            }
            if (!err.retryable || retry === numRetries) break;
            const backoff = Math.min(maxDelay, baseDelay * 2 ** retry * random());
            const wait = err.retryAfterMs !== undefined ? err.retryAfterMs : backoff;
            if (wait > maxDelay) break; // asked to wait too long here: try the fallbacks instead
            await sleep(wait, overall.signal).catch((e) => {
              throw overall.abortError(e) ?? e;
            });
          } finally {
            perAttempt.dispose();
            inflight.set(deployment.id, (inflight.get(deployment.id) ?? 1) - 1);
          }
        }
        for (const next of fallbacksFor(group, lastError?.kind))
          if (!visited.includes(next)) queue.push(next);
      }
    } finally {
      overall.dispose();
    }
    if (lastError) throw lastError;
    if (p.pii && !p.redact) {
      throw complianceError(
        `${name}: the request contains personal data and no local deployment is available for group "${p.group}"${
          p.trace.excluded.length
            ? ` (${p.trace.excluded.map((x) => `${x.deployment}: ${x.reason}`).join("; ")})`
            : ""
        }; it was not sent to any cloud deployment`,
        p.trace,
      );
    }
    throw new LlmuxError({
      kind: "server",
      message: `${name}: no deployment available for group "${p.group}"${
        p.trace.excluded.length
          ? ` (${p.trace.excluded.map((x) => `${x.deployment}: ${x.reason}`).join("; ")})`
          : ""
      }`,
    });
  }

  async function settle(p: Plan, a: Attempted<unknown>, usage: ChatResult["usage"], stream: boolean) {
    const latencyMs = Date.now() - a.startedAt;
    await state.recordLatency(a.deployment.id, latencyMs);
    let costUsd: number | null = null;
    const price = usage ? priceOf(a.deployment) : null;
    if (usage && price) {
      try {
        costUsd = priceUsage(usage, price).costUsd;
      } catch {
        costUsd = null; // usage the provider sent is malformed: the cost is unknown, not 0
      }
    }
    p.trace.attempts.push({
      deployment: a.deployment.id,
      group: a.deployment.group,
      outcome: "success",
      latencyMs,
      redacted: a.replacements !== undefined,
    });
    p.trace.deployment = a.deployment.id;
    p.trace.finalGroup = a.deployment.group;
    emitAttempt({
      at: a.startedAt,
      key: p.key,
      group: a.deployment.group,
      deployment: a.deployment.id,
      model: a.deployment.modelId,
      outcome: "success",
      latencyMs,
      usage,
      costUsd,
      stream,
    });
    if (budgeted && costUsd && costUsd > 0) {
      const d = a.deployment;
      const scopes = [
        `group:${d.group}`,
        `deployment:${d.id}`,
        ...d.tags.map((t) => `tag:${t}`),
        ...(p.key ? [`key:${p.key}`] : []),
      ];
      for (const b of config.budgets ?? [])
        if (scopes.includes(b.scope)) await state.addSpend(b.scope, costUsd, b.periodMs ?? DAY);
    }
    return { costUsd, latencyMs };
  }

  function metadata(p: Plan, a: Attempted<unknown>, costUsd: number | null, startedAt: number) {
    return {
      provider: a.deployment.provider,
      deployment: a.deployment.id,
      costUsd,
      attempts: p.trace.attempts.length,
      latencyMs: Date.now() - startedAt,
      trace: p.trace,
    };
  }

  async function chat(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    const startedAt = Date.now();
    const p = await plan(request, options);
    try {
      const a = await attempt(request, options, p, false, runChat);
      const { costUsd } = await settle(p, a, a.value.usage, false);
      let result = a.value;
      if (a.replacements?.size) {
        const r = a.replacements;
        result = {
          ...result,
          choices: result.choices.map((c) => ({
            ...c,
            message: {
              ...c.message,
              content: c.message.content === null ? null : restorePii(c.message.content, r),
              tool_calls: c.message.tool_calls?.map((t) => ({
                ...t,
                function: { ...t.function, arguments: restorePii(t.function.arguments, r) },
              })),
            },
          })),
        };
      }
      const meta = metadata(p, a, costUsd, startedAt);
      result = { ...result, llmux: result.llmux ? { ...result.llmux, ...meta } : meta };
      for (const l of listeners.result) l({ trace: p.trace, result });
      return result;
    } catch (e) {
      const err = isLlmuxError(e) ? e : new LlmuxError({ kind: "server", message: String(e), cause: e });
      (err as LlmuxError & { trace?: DecisionTrace }).trace ??= p.trace;
      for (const l of listeners.result) l({ trace: p.trace, error: err });
      throw err;
    }
  }

  function stream(request: ChatRequest, options: CallOptions = {}): BatchedChatStream {
    return batchedChatStream(() => streamBatches(request, options));
  }

  /** Restores masked personal data in a chunk's text and tool-call arguments (redact mode). */
  function restoreChunk(
    chunk: ChatChunk,
    restorer: StreamingRestorer,
    replacements: Map<string, string>,
  ): ChatChunk {
    return {
      ...chunk,
      choices: chunk.choices.map((c) => {
        const content =
          typeof c.delta.content === "string" ? restorer.push(c.delta.content) : c.delta.content;
        const tail = c.finish_reason ? restorer.flush() : "";
        return {
          ...c,
          delta: {
            ...c.delta,
            ...(content !== undefined || tail ? { content: (content ?? "") + tail } : {}),
            tool_calls: c.delta.tool_calls?.map((t) =>
              t.function?.arguments
                ? {
                    ...t,
                    function: { ...t.function, arguments: restorePii(t.function.arguments, replacements) },
                  }
                : t,
            ),
          },
        };
      }),
    };
  }

  // Chunks travel in the batches the deployment delivers them in (one per network read).
  async function* streamBatches(
    request: ChatRequest,
    options: CallOptions,
  ): AsyncGenerator<readonly ChatChunk[]> {
    const startedAt = Date.now();
    const p = await plan(request, options);
    // Fallback is only possible until the first chunk is delivered: prime each stream first.
    const a = await attempt(request, options, p, true, async (d, req, opts) => {
      const iterator = chunkBatches(d.model.stream(req, opts))[Symbol.asyncIterator]();
      const first = await iterator.next();
      return { iterator, first };
    });
    const acc = new StreamAccumulator();
    const replacements = a.replacements?.size ? a.replacements : undefined;
    const restorer = replacements ? new StreamingRestorer(replacements) : undefined;
    let last: ChatChunk | undefined;
    let done = false;
    try {
      for (let step = a.value.first; !step.done; step = await a.value.iterator.next()) {
        const batch = step.value;
        for (const chunk of batch) acc.push(chunk);
        if (batch.length > 0) last = batch[batch.length - 1];
        yield restorer && replacements ? batch.map((c) => restoreChunk(c, restorer, replacements)) : batch;
      }
      done = true;
      const result = acc.result();
      const { costUsd } = await settle(p, a, result.usage, true);
      const meta = metadata(p, a, costUsd, startedAt);
      yield [
        {
          id: last?.id ?? result.id,
          object: "chat.completion.chunk",
          created: last?.created ?? result.created,
          model: last?.model ?? result.model,
          choices: [],
          llmux: { ...last?.llmux, ...meta },
        },
      ];
      for (const l of listeners.result) l({ trace: p.trace, result: { ...result, llmux: meta } });
    } catch (e) {
      const err = isLlmuxError(e) ? e : new LlmuxError({ kind: "server", message: String(e), cause: e });
      p.trace.attempts.push({
        deployment: a.deployment.id,
        group: a.deployment.group,
        outcome: "failure",
        errorKind: err.kind,
        error: err.message.slice(0, 200),
        latencyMs: Date.now() - a.startedAt,
      });
      emitAttempt({
        at: a.startedAt,
        key: p.key,
        group: a.deployment.group,
        deployment: a.deployment.id,
        model: a.deployment.modelId,
        outcome: "failure",
        errorKind: err.kind,
        latencyMs: Date.now() - a.startedAt,
        costUsd: 0,
        stream: true,
      });
      (err as LlmuxError & { trace?: DecisionTrace }).trace ??= p.trace;
      for (const l of listeners.result) l({ trace: p.trace, error: err });
      throw err;
    } finally {
      // A consumer that stops reading early closes the deployment's stream too.
      if (!done) await a.value.iterator.return?.();
    }
  }

  return {
    id: `router/${name}`,
    ledger,
    groups,
    deployments,
    chat,
    stream,
    on(event: "attempt" | "result", listener: ((e: LedgerEntry) => void) | ((e: RouterResultEvent) => void)) {
      const set = listeners[event] as Set<typeof listener>;
      set.add(listener);
      return () => set.delete(listener);
    },
    async close() {
      await state.close?.();
    },
  } as Router;
}
