import { getModelPrice } from "@llmux/pricing";
import type { Deployment } from "./create-router.js";
import type { RoutingStrategy } from "./router-config.js";
import type { RouterState } from "./router-state.js";

interface StrategyContext {
  state: RouterState;
  inflight: Map<string, number>;
  random: () => number;
}

function weightedShuffle(list: readonly Deployment[], random: () => number): Deployment[] {
  // Efraimidis–Spirakis: key = u^(1/w), highest first.
  return [...list]
    .map((d) => ({ d, key: random() ** (1 / Math.max(d.config.weight ?? 1, 1e-9)) }))
    .sort((a, b) => b.key - a.key)
    .map((x) => x.d);
}

function blendedPrice(d: Deployment): number {
  try {
    const p = getModelPrice(d.modelId, { price: d.config.price });
    return p ? p.input + p.output : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Deployments in the order the strategy would try them (the router takes the first with rpm left). */
export async function orderByStrategy(
  list: readonly Deployment[],
  strategy: RoutingStrategy,
  ctx: StrategyContext,
): Promise<Deployment[]> {
  const shuffled = weightedShuffle(list, ctx.random); // ties broken at random in every strategy
  switch (strategy) {
    case "least-busy":
      return shuffled.sort((a, b) => (ctx.inflight.get(a.id) ?? 0) - (ctx.inflight.get(b.id) ?? 0));
    case "lowest-latency": {
      const lat = await ctx.state.latencies(list.map((d) => d.id));
      // Never-measured deployments first, so each gets measured.
      return shuffled.sort((a, b) => (lat.get(a.id) ?? -1) - (lat.get(b.id) ?? -1));
    }
    case "lowest-cost":
      return shuffled.sort((a, b) => blendedPrice(a) - blendedPrice(b));
    default:
      return shuffled;
  }
}
