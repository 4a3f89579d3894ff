import type { Redis } from "ioredis";
import type { RouterState } from "./router-state.js";

export interface RedisStateOptions {
  /** `redis://host:port/db` */
  url: string;
  /** Key prefix, so several routers (or tests) can share one Redis. Default `llmux:router:`. */
  prefix?: string;
}

const EWMA_ALPHA = 0.3;

// Failure counting and cooldown in one round trip, atomically, so two instances agree.
const RECORD_FAILURE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], 60000) end
if n > tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`;

const ACQUIRE_RPM = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], 61000) end
if n > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
return 1`;

const RECORD_LATENCY = `
local prev = redis.call('HGET', KEYS[1], ARGV[1])
local v = tonumber(ARGV[2])
if prev then v = tonumber(prev) + tonumber(ARGV[3]) * (v - tonumber(prev)) end
redis.call('HSET', KEYS[1], ARGV[1], tostring(v))
return tostring(v)`;

/**
 * Router state in Redis: cooldowns, rpm windows, latency and spend shared by every router instance
 * that uses the same Redis and prefix.
 *
 * @example
 * const router = createRouter({ deployments, state: createRedisState({ url: process.env.REDIS_URL! }) });
 */
export function createRedisState(options: RedisStateOptions): RouterState {
  // ioredis is loaded with the first Redis state, not with the router: most routers keep state in memory.
  const connecting: Promise<Redis> = import("ioredis").then(
    ({ Redis }) =>
      new Redis(options.url, {
        lazyConnect: false,
        maxRetriesPerRequest: 2,
        enableOfflineQueue: true,
      }),
  );
  // An unused state that never connects must not leave an unhandled rejection behind.
  connecting.catch(() => undefined);
  let client: Redis | undefined;
  const connected = async (): Promise<Redis> => {
    client ??= await connecting;
    return client;
  };
  const p = options.prefix ?? "llmux:router:";
  return {
    async coolingDown(ids) {
      if (ids.length === 0) return new Set();
      const values = await (await connected()).mget(ids.map((id) => `${p}cool:${id}`));
      return new Set(ids.filter((_, i) => values[i] !== null));
    },
    async recordFailure(id, allowedFails, cooldownMs) {
      const r = await (await connected()).eval(
        RECORD_FAILURE,
        2,
        `${p}fails:${id}`,
        `${p}cool:${id}`,
        allowedFails,
        cooldownMs,
      );
      return r === 1;
    },
    async tryAcquireRpm(id, limit) {
      const minute = Math.floor(Date.now() / 60_000);
      const r = await (await connected()).eval(ACQUIRE_RPM, 1, `${p}rpm:${id}:${minute}`, limit);
      return r === 1;
    },
    async recordLatency(id, ms) {
      await (await connected()).eval(RECORD_LATENCY, 1, `${p}latency`, id, ms, EWMA_ALPHA);
    },
    async latencies(ids) {
      const out = new Map<string, number>();
      if (ids.length === 0) return out;
      const values = await (await connected()).hmget(`${p}latency`, ...ids);
      ids.forEach((id, i) => {
        const v = values[i];
        if (v !== null && v !== undefined) out.set(id, Number(v));
      });
      return out;
    },
    async addSpend(scope, usd, periodMs) {
      const key = `${p}spend:${scope}:${Math.floor(Date.now() / periodMs)}`;
      const total = await (await connected()).incrbyfloat(key, usd);
      await (await connected()).pexpire(key, periodMs * 2);
      return Number(total);
    },
    async spend(scope, periodMs) {
      const v = await (await connected()).get(`${p}spend:${scope}:${Math.floor(Date.now() / periodMs)}`);
      return v === null ? 0 : Number(v);
    },
    async close() {
      await (await connected()).quit();
    },
  };
}
