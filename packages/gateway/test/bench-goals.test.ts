// The bench's goal check (bench/gateway-tables.mjs) decides what the README says is met: it must read
// the run's own lines right, leave a target it has no figures for blank, and never call a goal met
// on a missing figure. No timing is measured here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs bench script, without types
import { GOALS, parseRunLines, printTables } from "../bench/gateway-tables.mjs";

type Row = Record<string, unknown>;
const render = (rows: Row[]): string[] => {
  const lines: string[] = [];
  printTables(rows, { duration: "5", warmup: "5", date: new Date(0), print: (l: string) => lines.push(l) });
  return lines.join("\n").split("\n");
};
/** The cells of the goal table's row whose goal starts with `goal`, one per target. */
const goalRow = (lines: string[], goal: string): string[] => {
  const table = lines.slice(lines.findIndex((l) => l.startsWith("| goal |")));
  const line = table.find((l) => l.startsWith(`| ${goal}`));
  if (!line) throw new Error(`no goal row starting with "${goal}"`);
  return line
    .split("|")
    .slice(2, -1)
    .map((c) => c.trim());
};

const cell = (target: string, mode: string, concurrency: number, rps: number, rss?: number): Row => ({
  target,
  mode,
  concurrency,
  rps,
  p50_ms: 0.1,
  p99_ms: 0.2,
  ...(rss === undefined ? {} : { rss_mb: rss, cpu_pct: 50 }),
});

describe("gateway bench goal check", () => {
  it("reads the committed run of 2026-12-07 as the README states it", () => {
    const rows: Row[] = parseRunLines(
      readFileSync(new URL("../bench/results/2026-12-07T2159Z.jsonl", import.meta.url), "utf8"),
    );
    const lines = render(rows);
    expect(lines.find((l) => l.startsWith("| goal |"))).toBe(
      "| goal | llmux | llmux-docker | bare | bare-docker |",
    );
    expect(goalRow(lines, "throughput")).toEqual([
      "missed: 24.6%",
      "missed: 24.5%",
      "met: 32.5%",
      "met: 33.2%",
    ]);
    expect(goalRow(lines, "≤ 0.3 ms added before the first SSE event")).toEqual([
      "missed: +0.393 ms",
      "missed: +0.360 ms",
      "missed: +0.319 ms",
      "met: +0.228 ms",
    ]);
    expect(goalRow(lines, "≤ 100 MB RSS")).toEqual([
      "missed: 240.5 MB",
      "missed: 122.6 MB",
      "missed: 207.3 MB",
      "missed: 106.6 MB",
    ]);
  });

  it("calls a goal met only at or within its figure", () => {
    const rows: Row[] = [
      cell("direct", "json", 1, 1000),
      cell("llmux", "json", 1, 250, GOALS.rssMb),
      cell("bare", "json", 1, 249, GOALS.rssMb + 0.1),
      { kind: "added_latency", target: "llmux", mode: "json", added_p50_ms: 0.15, added_p99_ms: 0.5 },
      { kind: "added_latency", target: "bare", mode: "json", added_p50_ms: 0.151, added_p99_ms: 0.1 },
      { kind: "first_event", target: "direct", first_event_p50_ms: 1, first_event_p99_ms: 2 },
      { kind: "first_event", target: "llmux", first_event_p50_ms: 1.3, first_event_p99_ms: 2 },
      { kind: "first_event", target: "bare", first_event_p50_ms: 1.31, first_event_p99_ms: 2 },
    ];
    const lines = render(rows);
    expect(goalRow(lines, "throughput")).toEqual(["met: 25.0%", "missed: 24.9%"]);
    expect(goalRow(lines, "added ≤")).toEqual(["met: +0.150 / +0.500 ms", "missed: +0.151 / +0.100 ms"]);
    expect(goalRow(lines, "≤ 0.3 ms")).toEqual(["met: +0.300 ms", "missed: +0.310 ms"]);
    expect(goalRow(lines, "≤ 100 MB")).toEqual(["met: 100 MB", "missed: 100.1 MB"]);
  });

  it("leaves a goal blank, not met, when the run has no figure for it", () => {
    // No direct cell to compare with, no latency or first-event lines, no RSS samples.
    const lines = render([cell("llmux", "json", 10, 5000), cell("bare", "sse", 10, 6000)]);
    for (const goal of ["throughput", "added ≤", "≤ 0.3 ms", "≤ 100 MB"]) {
      expect(goalRow(lines, goal)).toEqual(["", ""]);
    }
  });
});
