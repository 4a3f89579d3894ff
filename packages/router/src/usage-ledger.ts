import type { ErrorKind, Usage } from "@llmux/core";

/** One attempt as the ledger records it. */
export interface LedgerEntry {
  at: number;
  requestId?: string;
  key?: string;
  group: string;
  deployment: string;
  model: string;
  outcome: "success" | "failure";
  errorKind?: ErrorKind;
  latencyMs: number;
  usage?: Usage;
  /** `null`: price unknown. */
  costUsd: number | null;
  stream: boolean;
}

export interface LedgerTotals {
  requests: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** Calls whose cost is unknown (no price): not included in `costUsd`. */
  unpricedCalls: number;
  latencyMsTotal: number;
}

const empty = (): LedgerTotals => ({
  requests: 0,
  failures: 0,
  promptTokens: 0,
  completionTokens: 0,
  costUsd: 0,
  unpricedCalls: 0,
  latencyMsTotal: 0,
});

/** Usage, cost and outcome of every attempt, with running totals per deployment, group, model and key. */
export class UsageLedger {
  private readonly recent: LedgerEntry[] = [];
  private readonly sums = {
    deployment: new Map<string, LedgerTotals>(),
    group: new Map<string, LedgerTotals>(),
    model: new Map<string, LedgerTotals>(),
    key: new Map<string, LedgerTotals>(),
  };
  private readonly all = empty();
  // The totals an entry adds to, for the last (deployment, group, model, key): a client repeating
  // itself finds them without a lookup.
  private last:
    | { deployment: string; group: string; model: string; key?: string; targets: LedgerTotals[] }
    | undefined;

  constructor(private readonly keep = 1000) {}

  record(entry: LedgerEntry): void {
    this.recent.push(entry);
    if (this.recent.length > this.keep) this.recent.shift();
    for (const t of this.targetsOf(entry)) {
      t.requests++;
      if (entry.outcome === "failure") t.failures++;
      t.promptTokens += entry.usage?.prompt_tokens ?? 0;
      t.completionTokens += entry.usage?.completion_tokens ?? 0;
      if (entry.costUsd === null) {
        if (entry.outcome === "success") t.unpricedCalls++;
      } else t.costUsd += entry.costUsd;
      t.latencyMsTotal += entry.latencyMs;
    }
  }

  private targetsOf(entry: LedgerEntry): LedgerTotals[] {
    const last = this.last;
    if (
      last &&
      last.deployment === entry.deployment &&
      last.group === entry.group &&
      last.model === entry.model &&
      last.key === entry.key
    )
      return last.targets;
    const targets = [
      this.all,
      this.bucket("deployment", entry.deployment),
      this.bucket("group", entry.group),
      this.bucket("model", entry.model),
    ];
    if (entry.key) targets.push(this.bucket("key", entry.key));
    this.last = {
      deployment: entry.deployment,
      group: entry.group,
      model: entry.model,
      key: entry.key,
      targets,
    };
    return targets;
  }

  private bucket(kind: keyof UsageLedger["sums"], id: string): LedgerTotals {
    let t = this.sums[kind].get(id);
    if (!t) {
      t = empty();
      this.sums[kind].set(id, t);
    }
    return t;
  }

  /** The most recent entries, oldest first. */
  entries(): readonly LedgerEntry[] {
    return this.recent;
  }

  /** Running totals overall and per deployment, group, model and virtual key. */
  totals(): {
    all: LedgerTotals;
    byDeployment: Record<string, LedgerTotals>;
    byGroup: Record<string, LedgerTotals>;
    byModel: Record<string, LedgerTotals>;
    byKey: Record<string, LedgerTotals>;
  } {
    const obj = (m: Map<string, LedgerTotals>) => Object.fromEntries([...m].map(([k, v]) => [k, { ...v }]));
    return {
      all: { ...this.all },
      byDeployment: obj(this.sums.deployment),
      byGroup: obj(this.sums.group),
      byModel: obj(this.sums.model),
      byKey: obj(this.sums.key),
    };
  }
}
