/**
 * What several router instances must agree on: cooldowns, requests per minute, latency and spend.
 * In memory by default; `createRedisState` shares it across processes.
 */
export interface RouterState {
  /** Ids among `ids` that are cooling down now. */
  coolingDown(ids: readonly string[]): Promise<ReadonlySet<string>>;
  /** Counts a failure; returns true if the deployment now cools down. */
  recordFailure(id: string, allowedFails: number, cooldownMs: number): Promise<boolean>;
  /** Takes one request from this minute's allowance; false when `limit` is reached. */
  tryAcquireRpm(id: string, limit: number): Promise<boolean>;
  recordLatency(id: string, ms: number): Promise<void>;
  /** Smoothed latency (EWMA) per id; absent for ids never measured. */
  latencies(ids: readonly string[]): Promise<Map<string, number>>;
  /** Adds spend to a budget scope for the current period; returns the period's total. */
  addSpend(scope: string, usd: number, periodMs: number): Promise<number>;
  spend(scope: string, periodMs: number): Promise<number>;
  close?(): Promise<void>;
}

const EWMA_ALPHA = 0.3;
const NONE: ReadonlySet<string> = new Set();

/** Router state in this process only. */
export function createMemoryState(now: () => number = Date.now): RouterState {
  const cooldownUntil = new Map<string, number>();
  const failures = new Map<string, number[]>();
  const rpm = new Map<string, { minute: number; count: number }>();
  const latency = new Map<string, number>();
  const spend = new Map<string, number>();
  return {
    async coolingDown(ids) {
      if (cooldownUntil.size === 0) return NONE;
      const t = now();
      for (const [id, until] of cooldownUntil) if (until <= t) cooldownUntil.delete(id);
      return new Set(ids.filter((id) => (cooldownUntil.get(id) ?? 0) > t));
    },
    async recordFailure(id, allowedFails, cooldownMs) {
      const t = now();
      const recent = (failures.get(id) ?? []).filter((at) => at > t - 60_000);
      recent.push(t);
      failures.set(id, recent);
      if (recent.length > allowedFails) {
        cooldownUntil.set(id, t + cooldownMs);
        failures.set(id, []);
        return true;
      }
      return false;
    },
    async tryAcquireRpm(id, limit) {
      const minute = Math.floor(now() / 60_000);
      const entry = rpm.get(id);
      const current = entry && entry.minute === minute ? entry : { minute, count: 0 };
      if (current.count >= limit) return false;
      current.count++;
      rpm.set(id, current);
      return true;
    },
    async recordLatency(id, ms) {
      const prev = latency.get(id);
      latency.set(id, prev === undefined ? ms : prev + EWMA_ALPHA * (ms - prev));
    },
    async latencies(ids) {
      const out = new Map<string, number>();
      for (const id of ids) {
        const v = latency.get(id);
        if (v !== undefined) out.set(id, v);
      }
      return out;
    },
    async addSpend(scope, usd, periodMs) {
      const key = `${scope}@${Math.floor(now() / periodMs)}`;
      const total = (spend.get(key) ?? 0) + usd;
      spend.set(key, total);
      return total;
    },
    async spend(scope, periodMs) {
      return spend.get(`${scope}@${Math.floor(now() / periodMs)}`) ?? 0;
    },
  };
}
