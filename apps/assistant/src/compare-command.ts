import type { Usage } from "@llmux/core";
import type { McpToolset } from "@llmux/mcp";
import { calculateCost } from "@llmux/pricing";
import { formatUsd, type Output, truncate } from "./output.js";
import { ARTICLE_QUESTIONS } from "./questions.js";
import { type QuestionRun, runQuestion } from "./run-question.js";
import type { ModelChoice } from "./select-models.js";

export function costOf(
  label: string,
  usage: Usage | undefined,
  reported: number | null | undefined,
): number | null {
  if (reported !== undefined) return reported;
  if (!usage) return null;
  try {
    return calculateCost({ model: label.split(" ")[0]!, usage }).costUsd;
  } catch {
    return null;
  }
}

/** The article's questions on every model, then a table of answers, tool calls, tokens, cost and latency. */
export async function compareCommand(
  out: Output,
  models: ModelChoice[],
  toolset: McpToolset,
  signal: AbortSignal,
): Promise<QuestionRun[]> {
  const runs: QuestionRun[] = [];
  for (const choice of models) {
    out.heading(`${choice.label}: the article's four questions`);
    for (const question of ARTICLE_QUESTIONS) {
      if (signal.aborted) break;
      runs.push(
        await runQuestion({
          out,
          label: choice.label,
          model: choice.model,
          group: choice.group,
          question,
          toolset,
          signal,
          costOf,
        }),
      );
    }
  }
  out.heading("Comparison");
  out.table(
    ["model", "#", "answer", "tool calls", "tokens", "cost", "latency"],
    runs.map((r) => [
      r.model,
      String(ARTICLE_QUESTIONS.indexOf(r.question as (typeof ARTICLE_QUESTIONS)[number]) + 1),
      r.error ? `FAILED: ${truncate(r.error, 40)}` : truncate(r.answer.replace(/^\[simulated\]\s*/, ""), 52),
      r.toolCalls.map((t) => t.name).join(", ") || "-",
      String(r.usage?.total_tokens ?? "-"),
      formatUsd(r.costUsd),
      `${Math.round(r.latencyMs)} ms`,
    ]),
  );
  return runs;
}
