// llmux-customer-server: the article's customer-service MCP server.
//   llmux-customer-server                       stdio (nothing but protocol on stdout; logs on stderr)
//   llmux-customer-server --http --port 3000    Streamable HTTP at http://127.0.0.1:3000/mcp
//   llmux-customer-server seed --count 1000     add generated customers
import { parseArgs } from "node:util";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import pino from "pino";
import { createCustomerServer } from "./create-customer-server.js";
import { openCustomerStore } from "./open-customer-store.js";
import { seedCustomers } from "./seed-customers.js";
import { serveHttp } from "./serve-http.js";

const HELP = `llmux-customer-server — the customer-service MCP server

Usage
  llmux-customer-server [--db FILE]                         serve over stdio
  llmux-customer-server --http [--host H] [--port N]         serve Streamable HTTP at /mcp
  llmux-customer-server seed --count N [--seed S] [--db FILE] add N generated customers

Options
  --db FILE        SQLite file (default: $LLMUX_CUSTOMER_DB or ./data/customers.db)
                   With DATABASE_URL=postgres://… the server uses Postgres instead.
  --schema NAME    Postgres schema (default: $LLMUX_CUSTOMER_SCHEMA or public)
  --http           serve over Streamable HTTP instead of stdio
  --host H         bind address (default 127.0.0.1; other addresses need MCP_AUTH_TOKEN)
  --port N         port (default 3000; 0 picks a free one)
  --token T        bearer token required from clients (default: $MCP_AUTH_TOKEN)
  -h, --help       this help`;

async function main(): Promise<number> {
  // Logs are JSON lines on stderr: stdout belongs to the protocol in stdio mode.
  const logger = pino(
    { name: "llmux-customer-server", level: process.env.LOG_LEVEL ?? "info" },
    pino.destination(2),
  );
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (e) {
    process.stderr.write(`llmux-customer-server: ${(e as Error).message}\n${HELP}\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stderr.write(`${HELP}\n`);
    return 0;
  }
  const store = await openCustomerStore({
    sqlitePath: values.db,
    schema: values.schema ?? process.env.LLMUX_CUSTOMER_SCHEMA,
  });
  if (positionals[0] === "seed") {
    const count = Number(values.count ?? "100");
    try {
      const added = await seedCustomers(store, count, Number(values.seed ?? "1"));
      logger.info({ added, total: await store.countCustomers() }, "seeded customers");
      return 0;
    } catch (e) {
      process.stderr.write(`llmux-customer-server seed: ${(e as Error).message}\n`);
      return 2;
    } finally {
      await store.close();
    }
  }
  if (positionals.length) {
    process.stderr.write(`llmux-customer-server: unknown command "${positionals[0]}"\n${HELP}\n`);
    return 2;
  }
  let stop: () => Promise<void>;
  if (values.http) {
    const port = Number(values.port ?? "3000");
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`llmux-customer-server: --port must be 0-65535, got ${values.port}\n`);
      return 2;
    }
    const running = await serveHttp(store, {
      host: values.host,
      port,
      token: values.token ?? process.env.MCP_AUTH_TOKEN,
      logger,
    });
    logger.info({ url: running.url, storage: store.kind }, "listening");
    stop = running.close;
  } else {
    const server = createCustomerServer(store);
    const transport = new StdioServerTransport();
    await server.connect(transport);
    logger.info({ transport: "stdio", storage: store.kind }, "ready");
    stop = () => server.close();
    // The client closing stdin ends the session.
    process.stdin.on("end", () => void shutdown("stdin closed"));
  }
  let stopping = false;
  async function shutdown(reason: string) {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, "shutting down");
    await stop();
    await store.close();
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  return -1; // keep running
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      db: { type: "string" },
      schema: { type: "string" },
      http: { type: "boolean" },
      host: { type: "string" },
      port: { type: "string" },
      token: { type: "string" },
      count: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`llmux-customer-server: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
