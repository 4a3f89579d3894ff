import {
  type ChatTool,
  LlmuxError,
  type Logger,
  silentLogger,
  type ToolCall,
  type ToolMessage,
} from "@llmux/core";
import {
  type ConvertedTools,
  convertTools,
  type McpToolDefinition,
  type QuarantinedTool,
  ToolNameCodec,
  type ToolSchemaWarning,
  type ToolTarget,
} from "@llmux/tool-schema";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { type ConnectMcpOptions, connectMcp } from "./connect-mcp.js";
import { listMcpTools } from "./list-mcp-tools.js";
import type { McpToolFormat, McpToolFormats } from "./mcp-tool-formats.js";
import { type McpCallToolResult, toolResultToContent } from "./tool-result-to-content.js";
import { dropNullOptionalArguments, validateToolArguments } from "./validate-tool-arguments.js";

/** One MCP server in a toolset. */
export interface McpServerEntry {
  /** Server name: the tool-name prefix and what `decode` reports. */
  name: string;
  client: Client;
  /** Prefix for this server's tool names; default: the server name when the toolset has several servers. `false`: none. */
  prefix?: string | false;
  /** Only these tools (exact names or `*` globs). */
  allow?: string[];
  /** Never these tools (exact names or `*` globs); wins over `allow`. */
  deny?: string[];
  /** Close this client when the toolset closes (true for servers `McpToolset.connect` started). */
  owned?: boolean;
}

export interface McpToolsetOptions {
  servers: McpServerEntry[];
  /** Per tool call; default 60 s. A timed-out call becomes a tool error message. */
  timeoutMs?: number;
  /** Check arguments against the tool's input schema before calling (default true). */
  validateArguments?: boolean;
  /** OpenAI format only: strict tools where the schema allows it (default false). */
  strict?: boolean;
  logger?: Logger;
}

export interface ToolCallOptions {
  /** Aborting rejects with an `LlmuxError` of kind `aborted` (the caller stopped; no message for the model). */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** The format whose names the call uses (default `"openai"`: names from `tools("openai")`). */
  format?: ToolTarget;
}

/** Runs tool calls: what `runToolLoop` needs. `McpToolset` is one; any object with these two methods works. */
export interface ToolExecutor {
  /** Tools in OpenAI format, for the model request. */
  tools(format: "openai"): ChatTool[];
  call(toolCall: ToolCall, options?: ToolCallOptions): Promise<ToolMessage>;
}

/** A tool of the toolset with the server it lives on. */
export interface McpToolEntry {
  server: string;
  tool: McpToolDefinition;
}

interface ServerState extends McpServerEntry {
  tools: McpToolDefinition[];
}

interface Conversion {
  tools: unknown[];
  warnings: ToolSchemaWarning[];
  quarantined: QuarantinedTool[];
  codec: ToolNameCodec;
}

const DEFAULT_TIMEOUT_MS = 60_000;

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

function matchesAny(name: string, patterns: string[] | undefined): boolean {
  return patterns?.some((p) => (p.includes("*") ? globToRegExp(p).test(name) : p === name)) ?? false;
}

function toolError(toolCall: ToolCall, text: string): ToolMessage {
  return { role: "tool", tool_call_id: toolCall.id, content: `Error: ${text}`, is_error: true };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/**
 * Tools of one or more MCP servers, in any provider format, with calls routed back to the right server.
 * Names are prefixed per server when there are several, allow/deny lists filter tools, and the list
 * refreshes when a server sends `notifications/tools/list_changed`.
 *
 * @example
 * const toolset = await McpToolset.connect({ crm: { command: "node", args: ["server.js"] } });
 * const tools = toolset.tools("openai");
 * const message = await toolset.call(result.choices[0].message.tool_calls[0]);
 * await toolset.close();
 */
export class McpToolset implements ToolExecutor {
  private readonly servers: ServerState[];
  private readonly options: McpToolsetOptions;
  private readonly logger: Logger;
  private readonly conversions = new Map<string, Conversion>();
  private readonly listeners = new Set<(toolset: McpToolset) => void>();
  private closed = false;

  constructor(options: McpToolsetOptions) {
    if (!options || !Array.isArray(options.servers) || options.servers.length === 0) {
      throw new LlmuxError({
        kind: "bad_request",
        param: "servers",
        message: "McpToolset needs at least one server in options.servers",
      });
    }
    const names = new Set<string>();
    for (const [i, server] of options.servers.entries()) {
      if (typeof server?.name !== "string" || server.name === "") {
        throw new LlmuxError({
          kind: "bad_request",
          param: `servers[${i}].name`,
          message: `servers[${i}].name must be a non-empty string`,
        });
      }
      if (names.has(server.name)) {
        throw new LlmuxError({
          kind: "bad_request",
          param: `servers[${i}].name`,
          message: `two servers are named "${server.name}"; names must be unique`,
        });
      }
      names.add(server.name);
    }
    this.options = options;
    this.logger = options.logger ?? silentLogger;
    this.servers = options.servers.map((s) => ({ ...s, tools: [] }));
    // The SDK's schemas (zod) load with the SDK, not with this package: a client passed in means the
    // SDK is loaded already, so this import settles before any notification can arrive over I/O.
    void import("@modelcontextprotocol/sdk/types.js").then(
      ({ ToolListChangedNotificationSchema }) => {
        for (const server of this.servers) {
          server.client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
            try {
              await this.refresh(server.name);
            } catch (error) {
              this.logger.warn({ server: server.name, error: String(error) }, "mcp tool list refresh failed");
            }
          });
        }
      },
      (error: unknown) => this.logger.warn({ error: String(error) }, "mcp tool list watch not set up"),
    );
  }

  /**
   * Connects to several servers (stdio or HTTP) and loads their tools. The toolset owns the connections:
   * `close()` shuts them down.
   */
  static async connect(
    servers: Record<string, ConnectMcpOptions & Pick<McpServerEntry, "prefix" | "allow" | "deny">>,
    options: Omit<McpToolsetOptions, "servers"> = {},
  ): Promise<McpToolset> {
    const entries = Object.entries(servers ?? {});
    const connected: McpServerEntry[] = [];
    try {
      for (const [name, config] of entries) {
        const { prefix, allow, deny, ...connectOptions } = config;
        const client = await connectMcp({ logger: options.logger, ...connectOptions });
        connected.push({ name, client, prefix, allow, deny, owned: true });
      }
      const toolset = new McpToolset({ ...options, servers: connected });
      await toolset.refresh();
      return toolset;
    } catch (error) {
      await Promise.allSettled(connected.map((s) => s.client.close()));
      throw error;
    }
  }

  /** A toolset over one already connected client (no name prefix). */
  static async fromClient(
    client: Client,
    options: Omit<McpToolsetOptions, "servers"> &
      Pick<McpServerEntry, "allow" | "deny" | "prefix"> & { name?: string } = {},
  ): Promise<McpToolset> {
    const { name, allow, deny, prefix, ...rest } = options;
    const toolset = new McpToolset({
      ...rest,
      servers: [{ name: name ?? client.getServerVersion()?.name ?? "mcp", client, allow, deny, prefix }],
    });
    await toolset.refresh();
    return toolset;
  }

  /** Server names, in order. */
  get serverNames(): string[] {
    return this.servers.map((s) => s.name);
  }

  /** Reloads the tool lists (all servers, or one). */
  async refresh(serverName?: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const targets =
      serverName === undefined ? this.servers : this.servers.filter((s) => s.name === serverName);
    if (targets.length === 0) {
      throw new LlmuxError({
        kind: "bad_request",
        param: "serverName",
        message: `no server named "${serverName}" in this toolset`,
      });
    }
    await Promise.all(
      targets.map(async (server) => {
        const all = await listMcpTools(server.client, { signal: options.signal });
        server.tools = all.filter(
          (t) => (!server.allow || matchesAny(t.name, server.allow)) && !matchesAny(t.name, server.deny),
        );
      }),
    );
    this.conversions.clear();
    this.logger.debug({ servers: targets.map((s) => s.name), tools: this.list().length }, "mcp tools loaded");
    for (const listener of this.listeners) listener(this);
  }

  /** Called after every refresh (including ones triggered by `tools/list_changed`). Returns an unsubscribe function. */
  onToolsChanged(listener: (toolset: McpToolset) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The tools with their servers (after allow/deny). */
  list(): McpToolEntry[] {
    return this.servers.flatMap((s) => s.tools.map((tool) => ({ server: s.name, tool })));
  }

  /** The tools in a format, with warnings, quarantined tools and the name codec. */
  convert<T extends ToolTarget>(format: T, options: { strict?: boolean } = {}): ConvertedTools<T> {
    const strict = format === "openai" ? (options.strict ?? this.options.strict ?? false) : false;
    const key = `${format}:${strict}`;
    let conversion = this.conversions.get(key);
    if (!conversion) {
      const codec = new ToolNameCodec(format);
      const tools: unknown[] = [];
      const warnings: ToolSchemaWarning[] = [];
      const quarantined: QuarantinedTool[] = [];
      const several = this.servers.length > 1;
      for (const server of this.servers) {
        const prefix =
          server.prefix === false ? undefined : (server.prefix ?? (several ? server.name : undefined));
        const converted = convertTools(server.tools, { target: format, strict, prefix, codec });
        tools.push(...converted.tools);
        warnings.push(...converted.warnings);
        quarantined.push(...converted.quarantined);
      }
      for (const q of quarantined)
        this.logger.warn({ tool: q.tool, target: q.target, reason: q.reason }, "mcp tool left out");
      conversion = { tools, warnings, quarantined, codec };
      this.conversions.set(key, conversion);
    }
    return conversion as ConvertedTools<T>;
  }

  /** The tools in a format: `"openai"` for `ChatRequest.tools`, `"mcp"` for the servers' own definitions. */
  tools<F extends McpToolFormat>(format: F, options: { strict?: boolean } = {}): McpToolFormats[F][] {
    if (format === "mcp") return this.list().map((e) => e.tool) as McpToolFormats[F][];
    return [...this.convert(format as ToolTarget, options).tools] as McpToolFormats[F][];
  }

  /** Finds the server and MCP tool behind a name the model used. */
  resolve(name: string, format: ToolTarget = "openai"): McpToolEntry | undefined {
    const strict = format === "openai" ? (this.options.strict ?? false) : false;
    const decoded = this.convert(format, { strict }).codec.decode(name);
    if (decoded) {
      const server =
        decoded.server === undefined ? this.servers[0] : this.servers.find((s) => s.name === decoded.server);
      const tool = server?.tools.find((t) => t.name === decoded.name);
      if (server && tool) return { server: server.name, tool };
    }
    // The model used the server's own name (e.g. tools were given in "mcp" format): accept it when unambiguous.
    const matches = this.list().filter((e) => e.tool.name === name);
    return matches.length === 1 ? matches[0] : undefined;
  }

  /**
   * Executes one OpenAI-shaped tool call and returns the tool message for the model. Bad JSON, arguments
   * that do not match the schema, unknown tools, tool failures and timeouts become `is_error` messages the
   * model can read and correct; only the caller's abort rejects.
   */
  async call(toolCall: ToolCall, options: ToolCallOptions = {}): Promise<ToolMessage> {
    if (this.closed) throw new LlmuxError({ kind: "bad_request", message: "the toolset is closed" });
    if (typeof toolCall !== "object" || toolCall === null || typeof toolCall.function?.name !== "string") {
      throw new LlmuxError({
        kind: "bad_request",
        param: "toolCall.function.name",
        message: 'toolCall must be { id, type: "function", function: { name, arguments } }',
      });
    }
    if (options.signal?.aborted) throw abortedError(toolCall.function.name, options.signal.reason);
    const name = toolCall.function.name;
    const entry = this.resolve(name, options.format ?? "openai");
    if (!entry) {
      const names = this.convert(options.format ?? "openai")
        .codec.entries()
        .map(([n]) => n);
      return toolError(
        toolCall,
        `unknown tool "${name}". ${names.length ? `Available tools: ${truncate(names.join(", "), 1500)}.` : "No tools are available."}`,
      );
    }
    const raw = typeof toolCall.function.arguments === "string" ? toolCall.function.arguments : "";
    let args: unknown;
    if (raw.trim() === "") args = {};
    else {
      try {
        args = JSON.parse(raw);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return toolError(
          toolCall,
          `the arguments for "${name}" are not valid JSON (${why}). Received: ${truncate(raw, 300)}. Call "${name}" again with a JSON object that matches its parameters.`,
        );
      }
    }
    if (typeof args !== "object" || args === null || Array.isArray(args)) {
      return toolError(
        toolCall,
        `the arguments for "${name}" must be a JSON object, got ${Array.isArray(args) ? "an array" : JSON.stringify(args)}. Call it again with an object.`,
      );
    }
    const schema = entry.tool.inputSchema;
    let input = dropNullOptionalArguments(args as Record<string, unknown>, schema);
    if (this.options.validateArguments !== false) {
      const problems = validateToolArguments(input, schema);
      if (problems.length > 0) {
        return toolError(
          toolCall,
          `invalid arguments for "${name}": ${problems.join("; ")}. Call it again with corrected arguments.`,
        );
      }
    }
    input = input as Record<string, unknown>;
    const server = this.servers.find((s) => s.name === entry.server)!;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = Date.now();
    try {
      const result = (await server.client.callTool({ name: entry.tool.name, arguments: input }, undefined, {
        signal: options.signal,
        timeout: timeoutMs,
      })) as McpCallToolResult;
      const { content, isError } = toolResultToContent(result);
      this.logger.debug(
        { server: server.name, tool: entry.tool.name, ms: Date.now() - started, isError },
        "mcp tool called",
      );
      const message: ToolMessage = { role: "tool", tool_call_id: toolCall.id, content };
      if (isError) message.is_error = true;
      return message;
    } catch (error) {
      if (options.signal?.aborted) throw abortedError(name, error);
      if (isRequestTimeout(error)) {
        return toolError(toolCall, `tool "${name}" timed out after ${timeoutMs} ms.`);
      }
      const detail = error instanceof Error ? error.message : String(error);
      this.logger.warn({ server: server.name, tool: entry.tool.name, error: detail }, "mcp tool call failed");
      return toolError(toolCall, `tool "${name}" failed: ${detail}`);
    }
  }

  /** Closes the connections this toolset opened (servers from `connect`, or entries with `owned: true`). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.servers.filter((s) => s.owned).map((s) => s.client.close()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function abortedError(name: string, cause: unknown): LlmuxError {
  return new LlmuxError({ kind: "aborted", message: `tool call "${name}" was aborted by the caller`, cause });
}

/** JSON-RPC "request timed out" (the SDK's `McpError` with `ErrorCode.RequestTimeout`). */
const REQUEST_TIMEOUT = -32001;

function isRequestTimeout(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === REQUEST_TIMEOUT;
}
