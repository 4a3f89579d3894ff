// Starts the built llmux-customer-server as a real process and connects the MCP SDK client to it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

export type Storage = "sqlite" | "postgres";

let schemaCounter = 0;

/** Where a test's data lives: a fresh SQLite file or a fresh Postgres schema. */
export function freshStorage(storage: Storage): {
  args: string[];
  env: Record<string, string>;
  dbPath?: string;
  schema?: string;
} {
  if (storage === "sqlite") {
    const dbPath = join(mkdtempSync(join(tmpdir(), "llmux-cs-")), "customers.db");
    return { args: ["--db", dbPath], env: {}, dbPath };
  }
  const url = process.env.LLMUX_TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      "LLMUX_TEST_DATABASE_URL is not set: the Postgres half of this suite needs a real Postgres. Run `npm test`, or `node scripts/with-services.mjs -- pnpm vitest run --project @llmux/mcp-customer-server`.",
    );
  }
  const schema = `t_${process.pid}_${Date.now()}_${schemaCounter++}`;
  return { args: [], env: { DATABASE_URL: url, LLMUX_CUSTOMER_SCHEMA: schema }, schema };
}

// Tests run the built executable (what users run), next to the source tree.
const cli = () => fileURLToPath(new URL("../dist/cli.js", import.meta.url));

export async function connectStdio(storage: ReturnType<typeof freshStorage>): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli(), ...storage.args],
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...storage.env },
    stderr: "ignore",
  });
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

export interface HttpServerProcess {
  url: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startHttp(
  storage: ReturnType<typeof freshStorage>,
  extraEnv: Record<string, string> = {},
): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, [cli(), "--http", "--port", "0", ...storage.args], {
    env: { PATH: process.env.PATH ?? "", ...storage.env, ...extraEnv },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${buffer}`)), 20_000);
    child.stderr!.on("data", (d: Buffer) => {
      buffer += d.toString();
      const m = /"url":"([^"]+)"/.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${buffer}`)));
  });
  return {
    url,
    child,
    stop(signal = "SIGTERM") {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}

export async function connectHttp(url: string, token?: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : undefined,
  });
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

export type CallResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};

export async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallResult> {
  return (await client.callTool({ name, arguments: args })) as CallResult;
}

export const text = (r: CallResult) => r.content.map((c) => c.text ?? "").join("\n");
