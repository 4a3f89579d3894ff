import type { ChatModel, ToolCall, Usage } from "@llmux/core";
import { type McpToolset, streamToolLoop } from "@llmux/mcp";
import { getDecisionTrace } from "@llmux/router";
import { type Output, truncate } from "./output.js";

export interface ToolEvent {
  name: string;
  arguments: string;
  result: string;
  isError: boolean;
}

export interface QuestionRun {
  question: string;
  model: string;
  answer: string;
  toolCalls: ToolEvent[];
  usage: Usage | undefined;
  costUsd: number | null;
  latencyMs: number;
  steps: number;
  /** For routers: which deployment answered each model call. */
  deployments: string[];
  error?: string;
}

/** Runs one question through the tool loop, printing tool calls and streaming the answer. */
export async function runQuestion(args: {
  out: Output;
  label: string;
  model: ChatModel;
  group?: string;
  question: string;
  toolset: McpToolset;
  signal: AbortSignal;
  costOf: (
    modelLabel: string,
    usage: Usage | undefined,
    reported: number | null | undefined,
  ) => number | null;
}): Promise<QuestionRun> {
  const { out, label, model, question, toolset, signal } = args;
  const started = performance.now();
  const run: QuestionRun = {
    question,
    model: label,
    answer: "",
    toolCalls: [],
    usage: undefined,
    costUsd: null,
    latencyMs: 0,
    steps: 0,
    deployments: [],
  };
  const pending = new Map<string, ToolCall>();
  let costFromRouter = 0;
  let routerReported = false;
  out.line(out.style("dim", `› ${question}`));
  out.progress(`${label} is thinking…`);
  let answering = false;
  try {
    for await (const event of streamToolLoop({
      model,
      messages: [{ role: "user", content: question }],
      toolset,
      maxSteps: 6,
      signal,
      request: args.group ? { model: args.group } : undefined,
    })) {
      if (event.type === "tool-call") {
        out.done();
        pending.set(event.toolCall.id, event.toolCall);
        out.line(
          `  ${out.style("yellow", "⚙ call")} ${event.toolCall.function.name}(${truncate(event.toolCall.function.arguments, 100)})`,
        );
      } else if (event.type === "tool-result") {
        const text =
          typeof event.message.content === "string"
            ? event.message.content
            : event.message.content.map((p) => ("text" in p ? p.text : `[${p.type}]`)).join(" ");
        const isError = event.message.is_error === true;
        run.toolCalls.push({
          name: event.toolCall.function.name,
          arguments: event.toolCall.function.arguments,
          result: text,
          isError,
        });
        out.line(
          `  ${isError ? out.style("red", "✗ error") : out.style("green", "✓ result")} ${truncate(text, 110)}`,
        );
        out.progress(`${label} is reading the results…`);
      } else if (event.type === "text-delta") {
        out.done();
        if (!answering) {
          out.write(`  ${out.style("bold", "answer")} `);
          answering = true;
        }
        out.write(event.text);
        run.answer += event.text;
      } else if (event.type === "step-finish") {
        run.steps++;
      } else if (event.type === "finish") {
        run.usage = event.usage;
        run.answer = event.text;
        for (const step of event.steps) {
          const trace = getDecisionTrace(step.result);
          if (trace?.deployment) run.deployments.push(trace.deployment);
          if (step.result.llmux?.costUsd !== undefined) {
            routerReported = true;
            costFromRouter += step.result.llmux.costUsd ?? 0;
          }
        }
      }
    }
    if (answering) out.line();
  } catch (e) {
    out.done();
    if (answering) out.line();
    run.error = e instanceof Error ? e.message : String(e);
    out.line(`  ${out.style("red", "failed:")} ${run.error}`);
  } finally {
    out.done();
  }
  run.latencyMs = performance.now() - started;
  run.costUsd = args.costOf(label, run.usage, routerReported ? costFromRouter : undefined);
  return run;
}
