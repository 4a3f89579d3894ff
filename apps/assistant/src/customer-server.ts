import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { McpToolset } from "@llmux/mcp";

/** The customer server's executable, found through its package's `bin`. */
export function customerServerCli(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve("@llmux/mcp-customer-server/package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.["llmux-customer-server"];
  if (!bin) throw new Error("@llmux/mcp-customer-server has no llmux-customer-server bin");
  return join(dirname(pkgPath), bin);
}

export interface CustomerServerOptions {
  /** Connect to a running server instead of starting one. */
  url?: string;
  token?: string;
  /** SQLite file for a started server. */
  db: string;
}

/** Starts the customer MCP server over stdio (or connects to `url`) and loads its tools. */
export async function openCustomerToolset(options: CustomerServerOptions): Promise<McpToolset> {
  if (options.url) {
    return McpToolset.connect({ customers: { url: options.url, token: options.token, prefix: false } });
  }
  return McpToolset.connect({
    customers: {
      command: process.execPath,
      args: [customerServerCli(), "--db", options.db],
      stderr: "ignore",
      prefix: false,
    },
  });
}
