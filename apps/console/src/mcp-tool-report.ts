// What the console shows of MCP tools: every tool of every configured server, and how it translates
// to each provider's tool format (unchanged, changed with notes, or quarantined with the reason).
import { basename } from "node:path";
import { type ConnectMcpOptions, connectMcp, listMcpTools } from "@llmux/mcp";
import { convertTools, type McpToolDefinition, TOOL_TARGETS, type ToolTarget } from "@llmux/tool-schema";

export interface ToolTranslation {
  status: "ok" | "changed" | "quarantined";
  /** Warnings (changed) or the quarantine reason, as sentences. */
  notes: string[];
}

export interface ToolReport {
  name: string;
  title?: string;
  description?: string;
  providers: Record<ToolTarget, ToolTranslation>;
}

export interface ServerReport {
  name: string;
  /** `stdio: node server.js` or the URL (without credentials). */
  target: string;
  status: "ok" | "error";
  error?: string;
  tools: ToolReport[];
}

export function describeServer(options: ConnectMcpOptions): string {
  if ("command" in options) return `stdio: ${[basename(options.command), ...(options.args ?? [])].join(" ")}`;
  const url = new URL(String(options.url));
  return `${url.origin}${url.pathname}`;
}

/** How each tool of one server translates to every provider format. */
export function translateTools(tools: readonly McpToolDefinition[]): ToolReport[] {
  const reports = tools.map(
    (t): ToolReport => ({
      name: t.name,
      ...(t.title ? { title: t.title } : {}),
      ...(t.description ? { description: t.description } : {}),
      providers: {} as Record<ToolTarget, ToolTranslation>,
    }),
  );
  const byName = new Map(reports.map((r) => [r.name, r]));
  for (const target of TOOL_TARGETS) {
    const { warnings, quarantined } = convertTools(tools, { target });
    for (const r of reports) r.providers[target] = { status: "ok", notes: [] };
    for (const w of warnings) {
      const p = byName.get(w.tool)?.providers[target];
      if (!p) continue;
      p.status = "changed";
      p.notes.push(w.path ? `${w.path}: ${w.message}` : w.message);
    }
    for (const q of quarantined) {
      const p = byName.get(q.tool)?.providers[target];
      if (!p) continue;
      p.status = "quarantined";
      p.notes = [q.reason];
    }
  }
  return reports;
}

/** Connects to each server, lists its tools and translates them; a server that fails is reported, not thrown. */
export async function loadToolReports(
  servers: Readonly<Record<string, ConnectMcpOptions>>,
): Promise<ServerReport[]> {
  return Promise.all(
    Object.entries(servers).map(async ([name, options]): Promise<ServerReport> => {
      const target = describeServer(options);
      let client: Awaited<ReturnType<typeof connectMcp>> | undefined;
      try {
        client = await connectMcp({ timeoutMs: 15_000, ...options, clientName: "llmux-console" });
        const tools = await listMcpTools(client);
        return { name, target, status: "ok", tools: translateTools(tools) };
      } catch (e) {
        return { name, target, status: "error", error: (e as Error).message, tools: [] };
      } finally {
        await client?.close().catch(() => {});
      }
    }),
  );
}
