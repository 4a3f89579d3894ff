import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openSqliteStore } from "@llmux/mcp-customer-server";
import { describe, expect, it } from "vitest";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
// Offline: no provider keys, and an Ollama address where nothing listens.
const offlineEnv = {
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "/tmp",
  OLLAMA_HOST: "http://127.0.0.1:9",
};

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    env: offlineEnv,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Run {
  question: string;
  model: string;
  answer: string;
  toolCalls: Array<{ name: string; arguments: string; result: string; isError: boolean }>;
  error?: string;
  traces?: Array<{ deployment?: string; steps: Array<{ rule: string; outcome: string }> }>;
}

describe("llmux-assistant demo (offline, simulated provider, real MCP server and router)", () => {
  const db = join(mkdtempSync(join(tmpdir(), "llmux-assistant-test-")), "customers.db");
  const result = run(["demo", "--json", "--db", db]);
  const report = JSON.parse(result.stdout) as {
    simulated: boolean;
    compare: Run[];
    scenarios: Array<{ name: string; runs: Run[]; cloudDeployments: string[] }>;
  };

  it("exits 0 and says the answers are simulated", () => {
    expect(result.code).toBe(0);
    expect(report.simulated).toBe(true);
    expect(report.compare.every((r) => r.answer.startsWith("[simulated]"))).toBe(true);
  });

  it("computes the article's numbers through the real calculate_account_value tool", () => {
    const q1 = report.compare.filter((r) => r.question.startsWith("Customer 67890 recently purchases"));
    expect(q1.length).toBeGreaterThanOrEqual(1);
    for (const r of q1) {
      expect(r.toolCalls[0]!.name).toBe("calculate_account_value");
      expect(r.toolCalls[0]!.result).toContain("total $552.00, average $138.00, 4 purchases");
      expect(r.answer).toContain("$552.00 across 4 purchases (average $138.00)");
    }
  });

  it("creates a high-priority ticket for 67890 that is really in the database afterwards", async () => {
    const store = openSqliteStore(db);
    try {
      const tickets = await store.listTickets({ customerId: "67890", limit: 100 });
      expect(
        tickets.some((t) => t.priority === "high" && /billing/i.test(t.subject) && t.status === "open"),
      ).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("routes simple questions to the cheap model and complex ones to the large one", () => {
    const cost = report.scenarios.find((s) => s.name === "cost-routing")!;
    expect(cost.runs[0]!.traces![0]!.deployment).toBe("cloud-mini");
    expect(cost.runs[1]!.traces![0]!.deployment).toBe("cloud-large");
  });

  it("never sends personal data to a cloud deployment: the follow-up with customer emails goes local", () => {
    const compliance = report.scenarios.find((s) => s.name === "compliance-routing")!;
    const run = compliance.runs[0]!;
    expect(run.toolCalls[0]!.name).toBe("get_recent_customers");
    expect(run.toolCalls[0]!.result).toContain("alice@example.com");
    const traces = run.traces!;
    expect(traces.length).toBeGreaterThanOrEqual(2);
    expect(traces.at(-1)!.deployment).toBe("on-prem");
    for (const trace of traces) {
      const compliant = trace.steps.find((s) => s.rule === "compliance")!;
      if (compliance.cloudDeployments.includes(trace.deployment!))
        expect(compliant.outcome).toMatch(/^no personal data found/);
      else expect(compliant.outcome).toMatch(/personal data found/);
    }
  });

  it("fails over from the broken primary to the secondary", () => {
    const failover = report.scenarios.find((s) => s.name === "failover")!;
    const run = failover.runs[0]!;
    expect(run.error).toBeUndefined();
    expect(run.answer).toContain("$552.00");
    expect(run.traces![0]!.deployment).toBe("secondary");
  });
});

describe("llmux-assistant CLI manners", () => {
  it("prints help with examples and exits 0", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples");
  });

  it("rejects an unknown command and a bad flag with exit code 2", () => {
    expect(run(["fly"]).code).toBe(2);
    expect(run(["demo", "--frobnicate"]).code).toBe(2);
    expect(run(["ask"]).stderr).toMatch(/ask needs a question/);
  });

  it("writes plain text without colour codes when stdout is not a terminal, notice first", () => {
    const r = run([
      "ask",
      "Get a list of recent customers and summarize their status",
      "-m",
      "simulated/demo",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.includes("\u001b[")).toBe(false);
    expect(r.stdout.split("\n")[0]).toContain("simulated provider");
    expect(r.stdout).toContain("Alice Johnson (12345) — active");
  });

  it("shows the MCP tools in every provider format", () => {
    const r = run(["tools", "--json"]);
    const report = JSON.parse(r.stdout) as {
      tools: Array<{ name: string }>;
      formats: Record<string, unknown>;
    };
    expect(report.tools).toHaveLength(5);
    expect(Object.keys(report.formats)).toEqual(["openai", "anthropic", "bedrock", "ollama", "gemini"]);
  });
});
