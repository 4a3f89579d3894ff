import { LlmuxError } from "@llmux/core";
import type { McpToolset } from "@llmux/mcp";
import { createSimulatedModel } from "@llmux/provider-testkit";
import { createRouter, type DecisionTrace, formatDecisionTrace, type Router } from "@llmux/router";
import { costOf } from "./compare-command.js";
import type { Output } from "./output.js";
import { ARTICLE_QUESTIONS } from "./questions.js";
import { type QuestionRun, runQuestion } from "./run-question.js";

export interface ScenarioReport {
  name: "cost-routing" | "compliance-routing" | "failover";
  runs: Array<QuestionRun & { traces: DecisionTrace[] }>;
  /** Which deployments are cloud (not local), for checking where personal data went. */
  cloudDeployments: string[];
}

// Prices for the stand-in deployments, so the demo shows what routing saves (USD per 1M tokens,
// those of gpt-4o and gpt-4o-mini).
const LARGE_PRICE = { input: 2.5, output: 10 };
const CHEAP_PRICE = { input: 0.15, output: 0.6 };

function printTraces(out: Output, traces: DecisionTrace[]): void {
  traces.forEach((trace, i) => {
    out.line(out.style("magenta", `  ┌ router decision, model call ${i + 1}`));
    for (const l of formatDecisionTrace(trace).split("\n")) out.line(out.style("magenta", `  │ ${l}`));
  });
}

async function runThrough(
  out: Output,
  router: Router,
  question: string,
  toolset: McpToolset,
  signal: AbortSignal,
): Promise<QuestionRun & { traces: DecisionTrace[] }> {
  const traces: DecisionTrace[] = [];
  const off = router.on("result", (e) => traces.push(e.trace));
  try {
    const run = await runQuestion({
      out,
      label: router.id,
      model: router,
      group: "main",
      question,
      toolset,
      signal,
      costOf,
    });
    printTraces(out, traces);
    return { ...run, traces };
  } finally {
    off();
  }
}

/** Cost routing, compliance routing (the tool-result case) and failover, each with the router's trace. */
export async function scenariosCommand(
  out: Output,
  toolset: McpToolset,
  signal: AbortSignal,
): Promise<ScenarioReport[]> {
  const reports: ScenarioReport[] = [];
  out.line(
    out.style(
      "dim",
      "Scenarios run on simulated deployments so every step is reproducible offline; the routing is real.",
    ),
  );

  out.heading("Scenario 1: cost routing — simple questions go to the cheap model");
  const costRouter = createRouter({
    name: "cost-routing",
    deployments: [
      {
        id: "cloud-large",
        group: "main",
        model: createSimulatedModel({ name: "cloud-large" }),
        price: LARGE_PRICE,
      },
      {
        id: "cloud-mini",
        group: "cheap",
        model: createSimulatedModel({ name: "cloud-mini" }),
        price: CHEAP_PRICE,
      },
    ],
    costRouting: { cheapGroup: "cheap" },
  });
  reports.push({
    name: "cost-routing",
    cloudDeployments: ["cloud-large", "cloud-mini"],
    runs: [
      await runThrough(out, costRouter, "What are your support hours?", toolset, signal),
      await runThrough(out, costRouter, ARTICLE_QUESTIONS[3], toolset, signal),
    ],
  });

  out.heading(
    "Scenario 2: compliance routing — personal data stays on the local model, tool results included",
  );
  const complianceRouter = createRouter({
    name: "compliance-routing",
    deployments: [
      {
        id: "cloud-large",
        group: "main",
        model: createSimulatedModel({ name: "cloud-large" }),
        price: LARGE_PRICE,
        order: 1,
      },
      {
        id: "on-prem",
        group: "main",
        model: createSimulatedModel({ name: "local", local: true }),
        local: true,
        order: 2,
      },
    ],
    compliance: { mode: "route" },
  });
  reports.push({
    name: "compliance-routing",
    cloudDeployments: ["cloud-large"],
    runs: [await runThrough(out, complianceRouter, ARTICLE_QUESTIONS[1], toolset, signal)],
  });
  out.line(
    out.style(
      "dim",
      "  The question itself has no personal data, so the first call may use the cloud; the customer list the tool returned has emails and phones, so the follow-up call is local.",
    ),
  );

  out.heading("Scenario 3: failover — the primary provider is down (injected HTTP 503)");
  const outage = new LlmuxError({
    kind: "server",
    status: 503,
    provider: "simulated",
    message: "simulated outage: primary returned HTTP 503",
  });
  const failoverRouter = createRouter({
    name: "failover",
    deployments: [
      {
        id: "primary",
        group: "main",
        model: createSimulatedModel({ name: "primary", failWith: outage }),
        price: LARGE_PRICE,
      },
      {
        id: "secondary",
        group: "backup",
        model: createSimulatedModel({ name: "secondary" }),
        price: LARGE_PRICE,
      },
      {
        id: "on-prem",
        group: "last-resort",
        model: createSimulatedModel({ name: "local", local: true }),
        local: true,
      },
    ],
    fallbacks: { main: ["backup", "last-resort"] },
    retry: { numRetries: 1, baseDelayMs: 20 },
  });
  reports.push({
    name: "failover",
    cloudDeployments: ["primary", "secondary"],
    runs: [await runThrough(out, failoverRouter, ARTICLE_QUESTIONS[0], toolset, signal)],
  });
  for (const r of [costRouter, complianceRouter, failoverRouter]) {
    const t = r.ledger.totals().all;
    out.line(
      out.style(
        "dim",
        `  ledger ${r.id}: ${t.requests} calls, ${t.failures} failed, ${t.promptTokens + t.completionTokens} tokens`,
      ),
    );
  }
  return reports;
}
