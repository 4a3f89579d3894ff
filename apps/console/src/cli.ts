// llmux-console: a web page over a running llmux gateway. Live requests with their routing
// decisions, cost per model, deployment and key, and the MCP tools each provider would receive.
import { parseArgs } from "node:util";
import type { ConnectMcpOptions } from "@llmux/mcp";
import { parseArgsStringToArgv } from "string-argv";
import { startConsole } from "./console-server.js";

const HELP = `llmux-console — a web page over the llmux gateway

Usage
  llmux-console [--gateway http://127.0.0.1:8080] [--host 127.0.0.1] [--port 8090]
                [--mcp NAME=COMMAND ARGS…] [--mcp NAME=https://host/mcp] …

  --gateway URL     the gateway to watch (default: $LLMUX_GATEWAY_URL or http://127.0.0.1:8080)
  --mcp NAME=SPEC   an MCP server whose tools the console lists, translated for every provider:
                    a command line for stdio (words split on spaces; quote a word that has
                    spaces: "my server.js"; no shell runs it), or an http(s) URL; repeatable
  --host H          bind address (default 127.0.0.1; other addresses need LLMUX_CONSOLE_TOKEN)
  --port N          port (default 8090; 0 picks a free one)
  --allowed-host H  Host name accepted when exposed (repeatable)

Environment
  LLMUX_MASTER_KEY     the gateway's master key (required). The console reads the gateway's admin
                       API with it; the key never reaches the browser.
  LLMUX_CONSOLE_TOKEN  a token the browser must present; open http://HOST:PORT/?token=… once.
  MCP_AUTH_TOKEN       bearer token for --mcp URLs (the customer server's convention).

Exit codes: 0 stopped cleanly, 1 failed at run time, 2 bad arguments.`;

function fail(message: string): never {
  process.stderr.write(`llmux-console: ${message}\n`);
  process.exit(2);
}

/** `NAME=COMMAND ARGS…` or `NAME=https://…` → connect options. */
function parseMcpSpec(spec: string): [string, ConnectMcpOptions] {
  const eq = spec.indexOf("=");
  const name = spec.slice(0, eq).trim();
  const target = spec.slice(eq + 1).trim();
  if (eq <= 0 || !/^[\w-]+$/.test(name) || target === "")
    fail(
      `--mcp "${spec}": expected NAME=COMMAND ARGS… or NAME=https://host/mcp (NAME: letters, digits, _ or -)`,
    );
  if (/^https?:\/\//i.test(target)) {
    const token = process.env.MCP_AUTH_TOKEN;
    return [name, { url: target, ...(token ? { token } : {}) }];
  }
  // Quotes group words as a shell would (a path with spaces); nothing is expanded, no shell runs.
  const [command, ...args] = parseArgsStringToArgv(target);
  if (!command) fail(`--mcp "${spec}": no command after "${name}="`);
  return [name, { command, args, stderr: "ignore" }];
}

async function main(): Promise<void> {
  let values: {
    gateway?: string;
    host?: string;
    port?: string;
    mcp?: string[];
    "allowed-host"?: string[];
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        gateway: { type: "string", short: "g" },
        host: { type: "string" },
        port: { type: "string", short: "p" },
        mcp: { type: "string", multiple: true },
        "allowed-host": { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n\n${HELP}`);
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const masterKey = process.env.LLMUX_MASTER_KEY;
  if (!masterKey)
    fail("LLMUX_MASTER_KEY is not set: the console reads the gateway's admin API with its master key");
  const port = values.port === undefined ? 8090 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port: "${values.port}" is not a port number`);
  const mcpServers = Object.fromEntries((values.mcp ?? []).map(parseMcpSpec));

  const gatewayUrl = values.gateway ?? process.env.LLMUX_GATEWAY_URL ?? "http://127.0.0.1:8080";
  let server: Awaited<ReturnType<typeof startConsole>>;
  try {
    server = await startConsole({
      gatewayUrl,
      masterKey,
      mcpServers,
      host: values.host,
      port,
      token: process.env.LLMUX_CONSOLE_TOKEN || undefined,
      allowedHosts: values["allowed-host"],
    });
  } catch (e) {
    fail((e as Error).message);
  }
  process.stderr.write(`llmux-console: serving at ${server.url} (gateway ${gatewayUrl})\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  process.stderr.write(`llmux-console: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
