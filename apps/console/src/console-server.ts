// The console's HTTP server: the page (public/), and a small JSON/SSE API over the gateway's admin
// API. The gateway's master key stays here; the browser only ever talks to this server.
import { timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import type { RequestRecord, UsageReport } from "@llmux/gateway";
import type { ConnectMcpOptions } from "@llmux/mcp";
import { type DecisionTrace, formatDecisionTrace } from "@llmux/router";
import { createParser } from "eventsource-parser";
import Fastify, { type FastifyInstance } from "fastify";
import { loadToolReports, type ServerReport } from "./mcp-tool-report.js";

export interface ConsoleOptions {
  /** The gateway's base URL, e.g. `http://127.0.0.1:8080`. */
  gatewayUrl: string;
  /** The gateway's master key: the console reads its admin API with it. Never sent to the browser. */
  masterKey: string;
  /** MCP servers whose tools the console lists, by name. */
  mcpServers?: Readonly<Record<string, ConnectMcpOptions>>;
  host?: string;
  /** Default 8090; 0 picks a free port. */
  port?: number;
  /** A token the browser must present (cookie set by opening `/?token=…`); required beyond loopback. */
  token?: string;
  /** `Host` names accepted when exposed (default on loopback: localhost, 127.0.0.1, ::1). */
  allowedHosts?: readonly string[];
  /** How long an MCP tool listing is reused (default 60 s; `?refresh=1` reloads). */
  toolsTtlMs?: number;
}

export interface ConsoleServer {
  readonly app: FastifyInstance;
  /** e.g. `http://127.0.0.1:8090` */
  readonly url: string;
  close(): Promise<void>;
}

/** A request record as the console serves it: the gateway's, plus the decision trace as lines. */
export type ConsoleRequest = RequestRecord & { traceLines: string[] };

export interface Overview {
  gateway: {
    url: string;
    status: "ready" | "starting" | "draining" | "unreachable" | "refused";
    error?: string;
  };
  models: string[];
  usage: UsageReport | null;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);
const PUBLIC = new URL("../public/", import.meta.url);
const COOKIE = "llmux_console";
const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};
const FILES: Record<string, string> = {
  "/": "index.html",
  "/console.js": "console.js",
  "/console.css": "console.css",
};
const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

class GatewayUnavailable extends Error {
  constructor(
    message: string,
    readonly status: "unreachable" | "refused",
  ) {
    super(message);
  }
}

function hostnameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  if (header.startsWith("[")) return header.slice(0, header.indexOf("]") + 1);
  return header.split(":")[0]?.toLowerCase();
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

function isTrace(value: unknown): value is DecisionTrace {
  return typeof value === "object" && value !== null && "steps" in value && "attempts" in value;
}

function toConsoleRequest(record: RequestRecord): ConsoleRequest {
  return {
    ...record,
    traceLines: isTrace(record.trace) ? formatDecisionTrace(record.trace).split("\n") : [],
  };
}

/**
 * Starts the console: `GET /` is the page; `/api/overview`, `/api/requests`, `/api/events` (SSE) and
 * `/api/tools` are what it reads.
 *
 * @example
 * const console = await startConsole({ gatewayUrl: "http://127.0.0.1:8080", masterKey: process.env.LLMUX_MASTER_KEY! });
 * // open console.url in a browser
 */
export async function startConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  if (!options.masterKey) throw new Error("the console needs the gateway's master key (LLMUX_MASTER_KEY)");
  let gatewayBase: URL;
  try {
    gatewayBase = new URL(options.gatewayUrl.replace(/\/v1\/?$/, "").replace(/\/?$/, "/"));
  } catch {
    throw new Error(`--gateway: "${options.gatewayUrl}" is not a URL (e.g. http://127.0.0.1:8080)`);
  }
  const host = options.host ?? "127.0.0.1";
  const exposed = !LOOPBACK.has(host);
  if (exposed && !options.token) {
    throw new Error(
      `binding to ${host} shows the gateway's admin data beyond this machine; set a token (LLMUX_CONSOLE_TOKEN)`,
    );
  }
  const allowedHosts = options.allowedHosts
    ? new Set(options.allowedHosts.map((h) => h.toLowerCase()))
    : exposed
      ? undefined
      : LOOPBACK;
  const gatewayLabel = gatewayBase.origin;
  const files = Object.fromEntries(
    Object.entries(FILES).map(([path, file]) => [
      path,
      { body: readFileSync(new URL(file, PUBLIC)), type: TYPES[file.split(".").pop()!]! },
    ]),
  );
  const relays = new Set<AbortController>();

  const unreachable = (e: unknown) => {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return new GatewayUnavailable(
      `the gateway at ${gatewayLabel} is unreachable (${cause?.code ?? cause?.message ?? (e as Error).message})`,
      "unreachable",
    );
  };

  async function fromGateway<T>(path: string, auth = true): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(path, gatewayBase), {
        headers: auth ? { authorization: `Bearer ${options.masterKey}` } : {},
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw unreachable(e);
    }
    const body = (await res.json().catch(() => undefined)) as T & { error?: { message?: string } };
    if (!res.ok && path !== "ready") throw failure(res.status, path, body?.error?.message);
    return body;
  }

  /** A gateway answer that is not what the console asked for: refused (wrong master key) or failed. */
  function failure(status: number, path: string, message: string | undefined): GatewayUnavailable {
    if (status === 401 || status === 403 || (status === 404 && path.startsWith("admin/")))
      return new GatewayUnavailable(
        `the gateway at ${gatewayLabel} refused the console (${message ?? `HTTP ${status}`}); start both with the same LLMUX_MASTER_KEY`,
        "refused",
      );
    return new GatewayUnavailable(
      `the gateway at ${gatewayLabel} answered ${status} to ${path}${message ? `: ${message}` : ""}`,
      "unreachable",
    );
  }

  let tools: { at: number; servers: Promise<ServerReport[]> } | undefined;
  const toolsTtl = options.toolsTtlMs ?? 60_000;

  const app = Fastify({ logger: false });
  app.addHook("onRequest", (req, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    if (allowedHosts && !allowedHosts.has(hostnameOf(req.headers.host) ?? "")) {
      reply.code(403).send({
        error: {
          message: `Host "${req.headers.host ?? ""}" is not allowed (DNS-rebinding protection); open the console at ${[...allowedHosts][0]}`,
        },
      });
      return;
    }
    if (options.token) {
      const url = new URL(req.url, "http://console.invalid");
      const offered = url.pathname === "/" ? url.searchParams.get("token") : null;
      if (offered !== null && sameSecret(offered, options.token)) {
        reply
          .header(
            "set-cookie",
            `${COOKIE}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/`,
          )
          .redirect("/");
        return;
      }
      const auth = req.headers.authorization?.replace(/^bearer\s+/i, "");
      const presented = cookieValue(req.headers.cookie, COOKIE) ?? auth;
      if (!presented || !sameSecret(presented, options.token)) {
        reply.code(401).send({
          error: { message: "this console needs its token: open /?token=<LLMUX_CONSOLE_TOKEN> once" },
        });
        return;
      }
    }
    done();
  });
  app.setErrorHandler((error: Error, _req, reply) => {
    if (error instanceof GatewayUnavailable)
      return reply.code(502).send({ error: { message: error.message, code: `gateway_${error.status}` } });
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply
      .code(status >= 400 && status < 500 ? status : 500)
      .send({ error: { message: status < 500 ? error.message : "internal console error" } });
  });

  for (const [path, file] of Object.entries(files))
    app.get(path, (_req, reply) => reply.type(file.type).send(file.body));
  app.get("/favicon.ico", (_req, reply) => reply.code(204).send());

  app.get("/api/overview", async (): Promise<Overview> => {
    const [ready, models, usage] = await Promise.allSettled([
      fromGateway<{ status?: string }>("ready", false),
      fromGateway<{ data?: { id: string }[] }>("v1/models"),
      fromGateway<UsageReport>("admin/usage"),
    ]);
    const failure = [ready, models, usage].find((r) => r.status === "rejected");
    if (failure) {
      const error = failure.reason as Error;
      return {
        gateway: {
          url: gatewayLabel,
          status: error instanceof GatewayUnavailable ? error.status : "unreachable",
          error: error.message,
        },
        models: [],
        usage: null,
      };
    }
    const status = (ready as PromiseFulfilledResult<{ status?: string }>).value?.status;
    return {
      gateway: {
        url: gatewayLabel,
        status: status === "ready" || status === "draining" || status === "starting" ? status : "unreachable",
      },
      models: ((models as PromiseFulfilledResult<{ data?: { id: string }[] }>).value?.data ?? []).map(
        (m) => m.id,
      ),
      usage: (usage as PromiseFulfilledResult<UsageReport>).value,
    };
  });

  app.get<{ Querystring: { limit?: string } }>("/api/requests", async (req) => {
    const limit = Math.min(500, Math.max(1, Number(req.query.limit) || 100));
    const { data } = await fromGateway<{ data: RequestRecord[] }>(`admin/requests?limit=${limit}`);
    return { data: data.map(toConsoleRequest) };
  });

  app.get<{ Querystring: { refresh?: string } }>("/api/tools", async (req) => {
    const servers = options.mcpServers ?? {};
    const age = tools ? Date.now() - tools.at : Number.POSITIVE_INFINITY;
    // ?refresh=1 reconnects to every server: at most every 5 s, whoever asks.
    let current = tools;
    if (!current || age > toolsTtl || (req.query.refresh === "1" && age > 5_000)) {
      current = { at: Date.now(), servers: loadToolReports(servers) };
      tools = current;
    }
    return { servers: await current.servers };
  });

  // Live requests: the gateway's /admin/events, relayed with the decision trace as lines. The
  // stream ends when the gateway goes away; the browser's EventSource reconnects by itself.
  app.get("/api/events", (_req, reply) => {
    reply.hijack();
    const raw: ServerResponse = reply.raw;
    raw.writeHead(200, {
      ...SECURITY_HEADERS,
      "content-type": "text/event-stream; charset=utf-8",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    raw.write("retry: 2000\n\n");
    const controller = new AbortController();
    relays.add(controller);
    raw.on("close", () => controller.abort());
    const status = (connected: boolean, error?: string) =>
      raw.write(`event: status\ndata: ${JSON.stringify({ connected, ...(error ? { error } : {}) })}\n\n`);
    void (async () => {
      try {
        const res = await fetch(new URL("admin/events", gatewayBase), {
          headers: { authorization: `Bearer ${options.masterKey}` },
          signal: controller.signal,
        });
        if (!res.ok || !res.body) {
          const body = (await res.json().catch(() => undefined)) as
            | { error?: { message?: string } }
            | undefined;
          throw failure(res.status, "admin/events", body?.error?.message);
        }
        status(true);
        const parser = createParser({
          onEvent(event) {
            if (event.event !== "request") return;
            const record = toConsoleRequest(JSON.parse(event.data) as RequestRecord);
            raw.write(`event: request\ndata: ${JSON.stringify(record)}\n\n`);
          },
        });
        const decoder = new TextDecoder();
        const reader = res.body.getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read())
          parser.feed(decoder.decode(r.value, { stream: true }));
        status(false, `the gateway at ${gatewayLabel} closed the live feed`);
      } catch (e) {
        if (!controller.signal.aborted)
          status(false, (e instanceof GatewayUnavailable ? e : unreachable(e)).message);
      } finally {
        relays.delete(controller);
        raw.end();
      }
    })();
  });

  const address = await app.listen({ host, port: options.port ?? 8090 });
  return {
    app,
    url: address.replace("[::1]", "127.0.0.1"),
    async close() {
      for (const relay of relays) relay.abort();
      await app.close();
    },
  };
}
