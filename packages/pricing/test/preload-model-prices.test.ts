import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { getModelPrice, preloadModelPrices } from "../src/index.js";

const fixture = fileURLToPath(new URL("./fixtures/preload-prices.mjs", import.meta.url));

/** Runs the fixture (the built package, in a process of its own) and returns what it printed. */
function preloadInProcess(timeoutMs: number, ids: string[]) {
  const run = spawnSync(process.execPath, [fixture, String(timeoutMs), ...ids], { encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as {
    result: { ok: boolean; added: number; error?: string };
    prices: Record<string, unknown>;
    loadedAfterPreloaded: boolean;
    other: unknown;
    loadedAfterOther: boolean;
  };
}

const IDS = [
  "openai/gpt-4o-mini",
  "openai/gpt-4o-2024-08-06",
  "bedrock/us.anthropic.claude-3-5-sonnet-20241022-v2:0",
  "qwen/qwen-plus",
  "ollama/llama3.1",
  "acme/in-house",
];

describe("preloadModelPrices", () => {
  it("answers look-ups of the preloaded models with the catalog's prices, never loading the catalog here", () => {
    const out = preloadInProcess(10_000, IDS);
    expect(out.result).toEqual({ ok: true, added: 5 }); // the local model needs no look-up
    for (const id of IDS) expect(out.prices[id], id).toEqual(getModelPrice(id));
    expect(out.prices["openai/gpt-4o-mini"]).toEqual({ input: 0.15, output: 0.6, cacheRead: 0.075 });
    expect(out.prices["acme/in-house"]).toBeNull();
    expect(out.loadedAfterPreloaded).toBe(false);
    // A model that was not preloaded still gets its price: the catalog loads here then.
    expect(out.other).toEqual(getModelPrice("anthropic/claude-sonnet-4-0"));
    expect(out.loadedAfterOther).toBe(true);
  });

  it("reports a look-up process that takes too long, and prices are then looked up in-process", () => {
    const out = preloadInProcess(1, ["openai/gpt-4o-mini"]);
    expect(out.result).toEqual({
      ok: false,
      added: 0,
      error: "the price look-up process took longer than 1 ms",
    });
    expect(out.prices["openai/gpt-4o-mini"]).toEqual({ input: 0.15, output: 0.6, cacheRead: 0.075 });
    expect(out.loadedAfterPreloaded).toBe(true);
  });

  it("starts no process for an empty list", async () => {
    expect(await preloadModelPrices([])).toEqual({ ok: true, added: 0 });
  });
});
