import type { McpToolDefinition } from "@llmux/tool-schema";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";

// A misbehaving server that always returns a cursor must not loop forever.
const MAX_PAGES = 100;

/** All tools of a server (follows `nextCursor` pagination). */
export async function listMcpTools(
  client: Client,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<McpToolDefinition[]> {
  const tools: McpToolDefinition[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await client.listTools(cursor ? { cursor } : undefined, {
      signal: options.signal,
      timeout: options.timeoutMs,
    });
    tools.push(...(result.tools as McpToolDefinition[]));
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return tools;
}
