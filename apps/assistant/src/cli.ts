// llmux-assistant: the article end to end. Starts the customer MCP server, loads its tools, and runs
// questions on every configured model through the tool loop; `scenarios` shows the router at work.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SIMULATED_NOTICE } from "@llmux/provider-testkit";
import { compareCommand, costOf } from "./compare-command.js";
import { openCustomerToolset } from "./customer-server.js";
import { Output } from "./output.js";
import { runQuestion } from "./run-question.js";
import { scenariosCommand } from "./scenarios-command.js";
import { selectModels } from "./select-models.js";
import { toolsCommand } from "./tools-command.js";

const HELP = `llmux-assistant — MCP customer-service tools on any LLM provider

Usage
  llmux-assistant <command> [options]

Commands
  demo                 compare + scenarios (what \`npm run demo\` runs)
  ask "<question>"     one question on every selected model
  compare              the article's four test questions on every model, then a table
  scenarios            cost routing, compliance routing, failover, with the router's decision trace
  tools                the MCP tools and how they look in each provider's format

Options
  -m, --model <id>     provider/model to use (repeatable), e.g. openai/gpt-4o-mini, ollama/llama3.1
  -c, --config <file>  a llmux or LiteLLM config.yaml; each model group becomes a model
      --mcp-url <url>  use a running customer server (Streamable HTTP) instead of starting one
      --mcp-token <t>  bearer token for --mcp-url
      --db <file>      SQLite file for the started server (default: a fresh temporary one)
      --json           print one JSON report on stdout instead of text
      --no-color       no colours (also: NO_COLOR=1, or when stdout is not a terminal)
  -h, --help           this help

Models: --model flags, else --config, else every provider whose key is set (OPENAI_API_KEY,
ANTHROPIC_API_KEY, DEEPSEEK_API_KEY, DASHSCOPE_API_KEY, AWS credentials) plus a local Ollama if one
answers; with none of those, the offline simulated provider (and the output says so).

Examples
  llmux-assistant demo
  llmux-assistant ask "Get a list of recent customers and summarize their status" -m anthropic/claude-sonnet-4-0
  llmux-assistant compare -m openai/gpt-4o-mini -m ollama/llama3.1
  llmux-assistant tools --json

Exit codes: 0 success, 1 a question or scenario failed, 2 usage error, 130 interrupted.`;

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (e) {
    process.stderr.write(`llmux-assistant: ${(e as Error).message}\nRun llmux-assistant --help for usage.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [command = "demo", ...rest] = positionals;
  if (!["demo", "ask", "compare", "scenarios", "tools"].includes(command)) {
    process.stderr.write(
      `llmux-assistant: unknown command "${command}"\nRun llmux-assistant --help for usage.\n`,
    );
    return 2;
  }
  if (command === "ask" && !rest[0]) {
    process.stderr.write(
      'llmux-assistant: ask needs a question, e.g. llmux-assistant ask "Get a list of recent customers"\n',
    );
    return 2;
  }
  const out = new Output(
    values.json === true,
    values.json !== true &&
      values["no-color"] !== true &&
      process.stdout.isTTY === true &&
      !process.env.NO_COLOR,
  );
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    out.done();
    process.stderr.write("\ninterrupted: stopping…\n");
    controller.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const tempDir =
    values.db || values["mcp-url"] ? undefined : mkdtempSync(join(tmpdir(), "llmux-assistant-"));
  const db = values.db ?? join(tempDir ?? tmpdir(), "customers.db");
  const report: Record<string, unknown> = { command };
  let failed = false;
  out.progress("starting the customer MCP server…");
  const toolset = await openCustomerToolset({ url: values["mcp-url"], token: values["mcp-token"], db });
  out.done();
  try {
    report.mcp = {
      server: values["mcp-url"] ?? "llmux-customer-server (stdio)",
      db: values["mcp-url"] ? undefined : db,
      tools: toolset.list().map((e) => e.tool.name),
    };
    if (command === "tools") {
      Object.assign(report, toolsCommand(out, toolset, rest[0]));
    } else {
      const selected =
        command === "scenarios"
          ? undefined
          : await selectModels({ model: values.model, config: values.config });
      if (selected?.simulated || command === "scenarios") {
        out.line(out.style(["bold", "yellow"], `⚠ ${SIMULATED_NOTICE}.`));
        out.line(
          out.style(
            "yellow",
            selected?.simulated
              ? "  No provider key and no local Ollama found: answers come from the offline simulated model (set OPENAI_API_KEY, ANTHROPIC_API_KEY, … or run Ollama for real ones)."
              : "  Scenarios use simulated deployments; the MCP server, the tool calls and the router are real.",
          ),
        );
        report.simulated = true;
      }
      for (const n of selected?.notes ?? []) out.line(out.style("dim", n));
      out.line(
        out.style(
          "dim",
          `MCP: ${toolset.list().length} tools from ${String((report.mcp as { server: string }).server)}`,
        ),
      );
      if (selected) report.models = selected.models.map((m) => m.label);
      if (command === "ask") {
        const runs = [];
        for (const m of selected!.models) {
          out.heading(m.label);
          runs.push(
            await runQuestion({
              out,
              label: m.label,
              model: m.model,
              group: m.group,
              question: rest.join(" "),
              toolset,
              signal: controller.signal,
              costOf,
            }),
          );
        }
        report.runs = runs;
        failed ||= runs.some((r) => r.error);
      }
      if (command === "compare" || command === "demo") {
        const runs = await compareCommand(out, selected!.models, toolset, controller.signal);
        report.compare = runs;
        failed ||= runs.some((r) => r.error);
      }
      if ((command === "scenarios" || command === "demo") && !controller.signal.aborted) {
        const scenarios = await scenariosCommand(out, toolset, controller.signal);
        report.scenarios = scenarios;
        failed ||= scenarios.some((s) => s.runs.some((r) => r.error));
      }
    }
  } finally {
    await toolset.close().catch(() => {});
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (interrupted) return 130;
  return failed ? 1 : 0;
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      model: { type: "string", short: "m", multiple: true },
      config: { type: "string", short: "c" },
      "mcp-url": { type: "string" },
      "mcp-token": { type: "string" },
      db: { type: "string" },
      json: { type: "boolean" },
      "no-color": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`llmux-assistant: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
