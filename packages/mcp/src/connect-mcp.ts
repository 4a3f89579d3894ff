import { LlmuxError, type Logger, silentLogger } from "@llmux/core";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

/** Start a local MCP server as a child process and talk to it over stdin/stdout. */
export interface StdioServerOptions {
  command: string;
  args?: string[];
  /** Extra environment for the server (added to a safe default environment, as the SDK does). */
  env?: Record<string, string>;
  cwd?: string;
  /** What to do with the server's stderr: forwarded to `logger.debug` line by line (default), or inherited. */
  stderr?: "log" | "inherit" | "ignore";
}

/** Connect to an MCP server over Streamable HTTP. */
export interface HttpServerOptions {
  url: string | URL;
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <token>`; never logged. */
  token?: string;
}

export type ConnectMcpOptions = (StdioServerOptions | HttpServerOptions) & {
  /** Client name sent to the server (default `"llmux"`). */
  clientName?: string;
  /** Give up connecting after this long (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
};

const CLIENT_VERSION = "0.1.0";

function describeTarget(options: StdioServerOptions | HttpServerOptions): string {
  if ("command" in options) return `stdio server "${[options.command, ...(options.args ?? [])].join(" ")}"`;
  const url = new URL(String(options.url));
  return `HTTP server ${url.origin}${url.pathname}`;
}

/**
 * Connects to an MCP server over stdio (`{ command, args, env }`) or Streamable HTTP (`{ url, headers, token }`)
 * and returns the official SDK `Client`. `await client.close()` shuts it down (and stops a stdio child).
 *
 * @example
 * const client = await connectMcp({ command: "node", args: ["server.js"] });
 * const tools = await loadMcpTools(client, { format: "openai" });
 * await client.close();
 */
export async function connectMcp(options: ConnectMcpOptions): Promise<Client> {
  if (typeof options !== "object" || options === null) {
    throw new LlmuxError({
      kind: "bad_request",
      param: "options",
      message: "connectMcp needs { command, args } or { url }",
    });
  }
  const logger = options.logger ?? silentLogger;
  // The SDK loads on the first connection, so importing llmux costs nothing for code that never uses MCP.
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
  const client = new Client({ name: options.clientName ?? "llmux", version: CLIENT_VERSION });
  let transport: StdioClientTransport | StreamableHTTPClientTransport;
  let http: StreamableHTTPClientTransport | undefined;
  if ("command" in options && typeof options.command === "string" && options.command !== "") {
    const stderrMode = options.stderr ?? "log";
    const { StdioClientTransport } = await import("@modelcontextprotocol/sdk/client/stdio.js");
    const stdio = new StdioClientTransport({
      command: options.command,
      args: options.args ?? [],
      env: options.env,
      cwd: options.cwd,
      stderr: stderrMode === "log" ? "pipe" : stderrMode,
    });
    if (stderrMode === "log") {
      // Drain stderr so the child never blocks on a full pipe; its lines go to the logger.
      let buffered = "";
      stdio.stderr?.on("data", (chunk: Buffer) => {
        buffered += chunk.toString("utf8");
        let newline = buffered.indexOf("\n");
        while (newline >= 0) {
          const line = buffered.slice(0, newline).trimEnd();
          buffered = buffered.slice(newline + 1);
          if (line) logger.debug({ server: options.command, stderr: line }, "mcp server stderr");
          newline = buffered.indexOf("\n");
        }
      });
    }
    transport = stdio;
  } else if ("url" in options && options.url) {
    let url: URL;
    try {
      url = new URL(String(options.url));
    } catch {
      throw new LlmuxError({
        kind: "bad_request",
        param: "url",
        message: `url ${JSON.stringify(String(options.url))} is not a valid URL`,
      });
    }
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    const { StreamableHTTPClientTransport } = await import(
      "@modelcontextprotocol/sdk/client/streamableHttp.js"
    );
    http = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
    transport = http;
  } else {
    throw new LlmuxError({
      kind: "bad_request",
      param: "command",
      message: "connectMcp needs either a non-empty `command` (stdio) or a `url` (Streamable HTTP)",
    });
  }
  const target = describeTarget(options);
  try {
    await client.connect(transport, { timeout: options.timeoutMs ?? 30_000, signal: options.signal });
  } catch (error) {
    await client.close().catch(() => {});
    if (options.signal?.aborted) {
      throw new LlmuxError({
        kind: "aborted",
        message: `connecting to the MCP ${target} was aborted`,
        cause: error,
      });
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw new LlmuxError({
      kind: "connection",
      message: `could not connect to the MCP ${target}: ${detail}`,
      cause: error,
    });
  }
  if (http) {
    // Clean shutdown over HTTP: end the server-side session (DELETE) before closing, so the server frees it.
    const session = http;
    const closeClient = client.close.bind(client);
    client.close = async () => {
      if (session.sessionId) await session.terminateSession().catch(() => {});
      await closeClient();
    };
  }
  logger.info({ server: client.getServerVersion()?.name, target }, "mcp connected");
  return client;
}
