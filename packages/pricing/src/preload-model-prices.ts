import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { addLookedUpPrices } from "./calculate-cost.js";

export interface PreloadModelPricesOptions {
  /** How long the child process may take (default 10,000 ms); past it, nothing is preloaded. */
  timeoutMs?: number;
}

/** What `preloadModelPrices` did. It never throws: on failure, look-ups work as before. */
export interface PreloadModelPricesResult {
  ok: boolean;
  /** Look-ups added to this process (a model id can bring more than one: OpenRouter's inner model). */
  added: number;
  /** Why nothing was preloaded, when `ok` is false. */
  error?: string;
}

const childPath = (): string => fileURLToPath(new URL("./price-lookup-child.js", import.meta.url));

/**
 * Looks up the prices of `modelIds` (`provider/model`) in a short-lived child Node process and keeps
 * the answers here, so that `getModelPrice` and `calculateCost` for those models never load the
 * price catalog into this process. Compiling the catalog costs a process ≈13 MB of RSS for as long
 * as it runs: a long-running server that prices a fixed set of deployments (llmux-gateway) calls
 * this once at start-up. A model not preloaded still gets its price: the catalog then loads here.
 *
 * @example
 * await preloadModelPrices(["openai/gpt-4o-mini", "anthropic/claude-sonnet-4-0"]);
 * getModelPrice("openai/gpt-4o-mini"); // answered without loading the catalog
 */
export function preloadModelPrices(
  modelIds: readonly string[],
  options: PreloadModelPricesOptions = {},
): Promise<PreloadModelPricesResult> {
  const ids = [...new Set(modelIds)];
  if (ids.length === 0) return Promise.resolve({ ok: true, added: 0 });
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: PreloadModelPricesResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const fail = (error: string) => done({ ok: false, added: 0, error });
    const child = spawn(process.execPath, [childPath()], {
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    const timeoutMs = options.timeoutMs ?? 10_000;
    const timer = setTimeout(() => {
      child.kill();
      fail(`the price look-up process took longer than ${timeoutMs} ms`);
    }, timeoutMs);
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      out += text;
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      err += text;
    });
    child.on("error", (e) => fail(`cannot start the price look-up process: ${e.message}`));
    child.stdin.on("error", () => {}); // a child that died early: reported by "close"
    child.on("close", (code, signal) => {
      if (code !== 0) {
        const last = err.trim().split("\n").at(-1) ?? "";
        return fail(
          `the price look-up process exited with ${signal ?? `code ${code}`}${last ? `: ${last}` : ""}`,
        );
      }
      try {
        done({ ok: true, added: addLookedUpPrices(JSON.parse(out)) });
      } catch (e) {
        fail(`the price look-up process answered something unexpected: ${(e as Error).message}`);
      }
    });
    child.stdin.end(JSON.stringify(ids));
  });
}
