// The tables of a gateway bench run, from its JSON lines: throughput and latency per cell, what each
// gateway adds at concurrency 1, and the gateway's goals checked for llmux and the bare proxy (each
// with Node's defaults and with the image's memory settings), all from the same run.
// gateway-bench.mjs prints them at the end of a run; to print them again from a saved run:
//   node bench/gateway-tables.mjs run.jsonl   (the lines gateway-bench.mjs writes to stdout)
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The gateway's goals (the issue's figures), checked by `printTables`. */
export const GOALS = Object.freeze({
  throughputPct: 25, // of a direct call's throughput, every mode and concurrency
  addedP50Ms: 0.15, // added at concurrency 1
  addedP99Ms: 0.5,
  firstEventMs: 0.3, // added before the first SSE event, p50
  rssMb: 100, // peak under load
});

const pct = (a, b) => (a && b ? `${((100 * a) / b).toFixed(1)}%` : "");
const times = (a, b) => (a && b ? `${(a / b).toFixed(1)}×` : "");
const verdict = (ok) => (ok ? "met" : "missed");

/** The JSON lines of a run (gateway-bench.mjs's stdout, or a file of them), parsed; other lines are skipped. */
export function parseRunLines(text) {
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}

/**
 * Prints the run's tables (markdown) with `print` (default console.log).
 * `rows`: the run's JSON lines, parsed; `duration`/`warmup`: seconds per cell and of warm-up.
 */
export function printTables(rows, { duration, warmup, date = new Date(), print = console.log }) {
  const runs = rows.filter((r) => r.rps !== undefined && !r.baseline);
  const cell = (target, r) =>
    runs.find((d) => d.target === target && d.mode === r.mode && d.concurrency === r.concurrency);
  const directRps = (r) => cell("direct", r)?.rps;
  const portkeyRps = (r) => cell("portkey", r)?.rps;
  print(
    `\n### Gateway bench ${date.toISOString().slice(0, 16).replace("T", " ")} UTC (loopback, fake upstream, ${duration} s per cell after ${warmup} s of warm-up)\n`,
  );
  // CPU time of the gateway process per request (the harness samples /proc ticks): steadier than the
  // latencies on a shared VM, whose wake-ups move with the hour.
  const cpuPerRequest = (r) =>
    r.cpu_pct !== undefined && r.rps ? Math.round((r.cpu_pct * 10_000) / r.rps) : "";
  print(
    "| target | mode | conc | req/s | % of direct | × Portkey | p50 ms | p99 ms | RSS peak MB | CPU µs/req |",
  );
  print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of runs) {
    const vsDirect = r.target === "direct" ? "" : pct(r.rps, directRps(r));
    const vsPortkey = r.target === "portkey" || r.target === "direct" ? "" : times(r.rps, portkeyRps(r));
    print(
      `| ${r.target} | ${r.mode} | ${r.concurrency} | ${r.rps} | ${vsDirect} | ${vsPortkey} | ${r.p50_ms} | ${r.p99_ms} | ${r.rss_mb ?? ""} | ${cpuPerRequest(r)} |`,
    );
  }

  const added = rows.filter((r) => r.kind === "added_latency");
  const firsts = rows.filter((r) => r.kind === "first_event");
  const firstDirect = firsts.find((r) => r.target === "direct");
  const firstExtra = (t, key) => {
    const f = firsts.find((r) => r.target === t);
    // In whole microseconds, as printed: 1.3 − 1 is 0.30000000000000004 in floating point.
    return f && firstDirect ? Math.round((f[key] - firstDirect[key]) * 1000) / 1000 : undefined;
  };
  const gateways = ["bare", "llmux", "llmux-docker", "bare-docker", "portkey"].filter(
    (t) => runs.some((r) => r.target === t) || firsts.some((r) => r.target === t),
  );
  print(
    "\n| added over direct (c=1) | JSON +p50 ms | JSON +p99 ms | SSE +p50 ms | SSE +p99 ms | first SSE event +p50 ms | first SSE event +p99 ms |",
  );
  print("|---|---:|---:|---:|---:|---:|---:|");
  for (const t of gateways) {
    const j = added.find((a) => a.target === t && a.mode === "json");
    const s = added.find((a) => a.target === t && a.mode === "sse");
    const fp50 = firstExtra(t, "first_event_p50_ms")?.toFixed(3) ?? "";
    const fp99 = firstExtra(t, "first_event_p99_ms")?.toFixed(3) ?? "";
    print(
      `| ${t} | ${j?.added_p50_ms ?? ""} | ${j?.added_p99_ms ?? ""} | ${s?.added_p50_ms ?? ""} | ${s?.added_p99_ms ?? ""} | ${fp50} | ${fp99} |`,
    );
  }

  // The goals, each checked in this run for llmux and the bare proxy (the practical limit), with
  // Node's defaults and with the image's memory settings: a goal the bare proxy misses too is out of
  // reach of a Node proxy on this machine at this hour, whatever the gateway does.
  const concurrencies = [...new Set(runs.map((r) => r.concurrency))].sort((a, b) => a - b);
  const goals = [
    [
      `throughput ≥ ${GOALS.throughputPct}% of direct (every mode, c=${concurrencies.join("/")}): lowest cell`,
      (t) => {
        const shares = runs.filter((r) => r.target === t).map((r) => (100 * r.rps) / directRps(r));
        if (shares.length === 0 || shares.some((x) => !Number.isFinite(x))) return "";
        const low = Math.min(...shares);
        return `${verdict(low >= GOALS.throughputPct)}: ${low.toFixed(1)}%`;
      },
    ],
    [
      `added ≤ ${GOALS.addedP50Ms} ms p50 / ≤ ${GOALS.addedP99Ms} ms p99 at c=1: worst mode`,
      (t) => {
        const cells = added.filter((a) => a.target === t);
        if (cells.length === 0) return "";
        const p50 = Math.max(...cells.map((a) => a.added_p50_ms));
        const p99 = Math.max(...cells.map((a) => a.added_p99_ms));
        const ok = p50 <= GOALS.addedP50Ms && p99 <= GOALS.addedP99Ms;
        return `${verdict(ok)}: +${p50.toFixed(3)} / +${p99.toFixed(3)} ms`;
      },
    ],
    [
      `≤ ${GOALS.firstEventMs} ms added before the first SSE event (p50)`,
      (t) => {
        const extra = firstExtra(t, "first_event_p50_ms");
        return extra === undefined ? "" : `${verdict(extra <= GOALS.firstEventMs)}: +${extra.toFixed(3)} ms`;
      },
    ],
    [
      `≤ ${GOALS.rssMb} MB RSS under load: highest peak`,
      (t) => {
        const peaks = runs.filter((r) => r.target === t && typeof r.rss_mb === "number").map((r) => r.rss_mb);
        if (peaks.length === 0) return "";
        const peak = Math.max(...peaks);
        return `${verdict(peak <= GOALS.rssMb)}: ${peak} MB`;
      },
    ],
  ];
  const checked = ["llmux", "llmux-docker", "bare", "bare-docker"].filter((t) => gateways.includes(t));
  if (checked.length > 0) {
    print(`\n| goal | ${checked.join(" | ")} |`);
    print(`|---|${checked.map(() => "---|").join("")}`);
    for (const [goal, check] of goals) print(`| ${goal} | ${checked.map(check).join(" | ")} |`);
  }

  const idle = rows.filter((r) => r.kind === "idle_rss");
  if (idle.length > 0) print(`\nIdle RSS MB: ${idle.map((r) => `${r.target} ${r.rss_mb}`).join(", ")}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error(
      "usage: node bench/gateway-tables.mjs RUN.jsonl   (the JSON lines of a gateway-bench.mjs run)",
    );
    process.exit(2);
  }
  let rows;
  try {
    rows = parseRunLines(readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`gateway-tables: cannot read ${file}: ${e.message}`);
    process.exit(1);
  }
  // gateway-bench.mjs starts its lines with one that says when and how it ran.
  const run = rows.find((r) => r.kind === "run");
  printTables(rows, {
    duration: run?.duration ?? "?",
    warmup: run?.warmup ?? "?",
    date: run ? new Date(run.date) : statSync(file).mtime,
  });
}
