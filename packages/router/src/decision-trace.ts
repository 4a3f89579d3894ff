import type { ChatChunk, ChatResult, ErrorKind } from "@llmux/core";

/** One rule's verdict, with the evidence it acted on. */
export interface RuleStep {
  rule: "group" | "tags" | "cost" | "compliance" | "budget" | "fallback";
  outcome: string;
  evidence?: string;
}

export interface ExcludedDeployment {
  deployment: string;
  reason: string;
}

export interface AttemptRecord {
  deployment: string;
  group: string;
  outcome: "success" | "failure";
  errorKind?: ErrorKind;
  error?: string;
  latencyMs: number;
  /** Whether the request sent to this deployment had personal data masked. */
  redacted?: boolean;
}

/** Why a request went where it went: rules fired, deployments eligible or not, every attempt. */
export interface DecisionTrace {
  router: string;
  requestedGroup: string;
  finalGroup?: string;
  deployment?: string;
  strategy: string;
  steps: RuleStep[];
  eligible: string[];
  excluded: ExcludedDeployment[];
  attempts: AttemptRecord[];
}

/** The router's decision trace of a result or final stream chunk, if a router produced it. */
export function getDecisionTrace(
  result: ChatResult | ChatChunk | undefined | null,
): DecisionTrace | undefined {
  const trace = result?.llmux?.trace;
  return trace && typeof trace === "object" && "steps" in trace ? (trace as DecisionTrace) : undefined;
}

/** The trace as short human-readable lines, for CLIs and logs. */
export function formatDecisionTrace(trace: DecisionTrace): string {
  const lines: string[] = [`requested group "${trace.requestedGroup}" (strategy ${trace.strategy})`];
  for (const s of trace.steps)
    lines.push(`rule ${s.rule}: ${s.outcome}${s.evidence ? ` — ${s.evidence}` : ""}`);
  if (trace.eligible.length) lines.push(`eligible: ${trace.eligible.join(", ")}`);
  for (const x of trace.excluded) lines.push(`excluded ${x.deployment}: ${x.reason}`);
  for (const [i, a] of trace.attempts.entries()) {
    const what = a.outcome === "success" ? "ok" : `failed (${a.errorKind}${a.error ? `: ${a.error}` : ""})`;
    lines.push(
      `attempt ${i + 1}: ${a.deployment} [${a.group}] ${what} in ${Math.round(a.latencyMs)} ms${a.redacted ? " (PII redacted)" : ""}`,
    );
  }
  if (trace.deployment) lines.push(`→ answered by ${trace.deployment}`);
  return lines.join("\n");
}
