import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Logger } from "pino";
import { createCustomerServer } from "./create-customer-server.js";
import type { CustomerStore } from "./customer-store.js";

export interface HttpOptions {
  host?: string;
  port?: number;
  /** Required bearer token. Mandatory when `host` is not loopback. */
  token?: string;
  /** Extra accepted `Host` names (default: localhost, 127.0.0.1, ::1 and the bound host). */
  allowedHosts?: string[];
  /** Largest request body (default 1 MiB). */
  maxBodyBytes?: number;
  logger?: Logger;
}

export interface RunningHttpServer {
  url: string;
  /** Stops accepting, waits for in-flight requests, then closes. */
  close(): Promise<void>;
}

const LOOPBACK = ["127.0.0.1", "localhost", "::1", "[::1]"];

function jsonError(
  res: ServerResponse,
  status: number,
  message: string,
  extraHeaders: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json", ...extraHeaders });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    let tooLarge = false;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      if (tooLarge) return; // drain the rest so the client can read our 413
      size += c.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        reject(Object.assign(new Error(`request body larger than ${limit} bytes`), { status: 413 }));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * Serves the customer server over Streamable HTTP at `/mcp` (stateless: each request is complete in
 * itself), with Host/Origin checks against DNS rebinding, an optional bearer token and a body limit.
 */
export async function serveHttp(store: CustomerStore, options: HttpOptions = {}): Promise<RunningHttpServer> {
  const host = options.host ?? "127.0.0.1";
  const loopback = LOOPBACK.includes(host);
  if (!loopback && !options.token) {
    throw new Error(
      `binding to ${host} exposes the server: set MCP_AUTH_TOKEN (or --token) so clients must authenticate`,
    );
  }
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  let inflight = 0;
  let closing = false;
  let drained: (() => void) | undefined;

  const http = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://placeholder");
    if (url.pathname === "/health") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (url.pathname !== "/mcp")
      return jsonError(res, 404, `no route ${url.pathname}: the MCP endpoint is /mcp`);
    if (closing) return jsonError(res, 503, "server is shutting down");
    const port = (http.address() as AddressInfo).port;
    const allowed = new Set(
      [...LOOPBACK, host, ...(options.allowedHosts ?? [])].flatMap((h) => [h, `${h}:${port}`]),
    );
    if (!req.headers.host || !allowed.has(req.headers.host.toLowerCase())) {
      return jsonError(
        res,
        403,
        `Host "${req.headers.host ?? ""}" is not allowed (DNS-rebinding protection)`,
      );
    }
    const origin = req.headers.origin;
    if (origin) {
      let originHost: string;
      try {
        originHost = new URL(origin).host.toLowerCase();
      } catch {
        return jsonError(res, 403, `Origin "${origin}" is not allowed`);
      }
      if (!allowed.has(originHost))
        return jsonError(res, 403, `Origin "${origin}" is not allowed (DNS-rebinding protection)`);
    }
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      return jsonError(res, 401, "missing or wrong bearer token", {
        "www-authenticate": 'Bearer realm="mcp"',
      });
    }
    if (req.method !== "POST") {
      return jsonError(
        res,
        405,
        "this server is stateless: only POST /mcp (no GET stream, no DELETE session)",
        { allow: "POST" },
      );
    }
    inflight++;
    try {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req, limit));
      } catch (e) {
        const status = (e as { status?: number }).status ?? 400;
        return jsonError(
          res,
          status,
          status === 413 ? (e as Error).message : `request body is not valid JSON: ${(e as Error).message}`,
        );
      }
      const server = createCustomerServer(store);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (e) {
      options.logger?.error({ err: (e as Error).message }, "request failed");
      if (!res.headersSent) jsonError(res, 500, "internal error");
    } finally {
      inflight--;
      if (closing && inflight === 0) drained?.();
    }
  });
  http.requestTimeout = 30_000;
  http.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/mcp`,
    async close() {
      closing = true;
      const done = inflight === 0 ? Promise.resolve() : new Promise<void>((r) => (drained = r));
      await Promise.race([done, new Promise((r) => setTimeout(r, 10_000).unref())]);
      await new Promise<void>((r) => http.close(() => r()));
      http.closeAllConnections();
    },
  };
}
