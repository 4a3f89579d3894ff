// llmux-gateway: the OpenAI-compatible gateway as a service, configured by one YAML file (our format
// or LiteLLM's config.yaml). Point any OpenAI SDK at http://127.0.0.1:8080/v1.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isLlmuxError } from "@llmux/core";
import { startGateway } from "@llmux/gateway";
import { preloadModelPrices } from "@llmux/pricing";
import { createRouter, type LazyChatModel, parseConfig, registerProvider } from "llmux";
import { destination } from "pino";
import { parse as parseYaml } from "yaml";
import { batchedLogStream } from "./batched-log-stream.js";
import { holdTickObject } from "./hold-tick-object.js";

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
const TRANSPORTS = ["http", "sdk"];

const HELP = `llmux-gateway — an OpenAI-compatible gateway for every LLM provider

Usage
  llmux-gateway --config llmux.yaml [--host 127.0.0.1] [--port 8080]

The config is llmux's YAML (deployments, routing rules) or LiteLLM's config.yaml (model_list,
router_settings). Secrets come from the environment: os.environ/NAME (LiteLLM) or \${NAME}.
A "gateway:" section (host, port, master_key, log_level, upstream_transport) or LiteLLM's
general_settings.master_key set the server; LLMUX_MASTER_KEY overrides the master key and
LLMUX_LOG_LEVEL the log level. Binding beyond 127.0.0.1 requires a master key.

Endpoints: POST /v1/chat/completions, GET /v1/models, /health, /ready, /metrics, and with the
master key /admin/keys, /admin/requests, /admin/usage, /admin/events (what llmux-console shows).
Deployments may use the offline "simulated/<name>" provider for trials without keys.

Exit codes: 0 stopped cleanly, 1 failed at run time, 2 bad arguments or config.`;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function fail(message: string): never {
  process.stderr.write(`llmux-gateway: ${message}\n`);
  process.exit(2);
}

function substitute(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const litellm = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
  if (litellm)
    return (
      process.env[litellm[1]!] ?? fail(`environment variable ${litellm[1]} is not set (gateway.master_key)`)
    );
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g,
    (_, n: string) => process.env[n] ?? fail(`environment variable ${n} is not set`),
  );
}

async function main(): Promise<void> {
  holdTickObject(); // keeps process.nextTick fast after full garbage collections (see the function)
  let values: { config?: string; host?: string; port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        config: { type: "string", short: "c" },
        host: { type: "string" },
        port: { type: "string", short: "p" },
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
  if (!values.config) fail("--config is required (a llmux YAML or a LiteLLM config.yaml)");
  let text: string;
  try {
    text = readFileSync(values.config, "utf8");
  } catch (e) {
    fail(`cannot read ${values.config}: ${(e as Error).message}`);
  }
  // The testkit loads only when a deployment is simulated.
  registerProvider("simulated", async (name) =>
    (await import("@llmux/provider-testkit")).createSimulatedModel({ name }),
  );
  let doc: Obj;
  let router: ReturnType<typeof createRouter>;
  let section: Obj = {};
  try {
    const parsed = parseYaml(text) as unknown;
    doc = isObj(parsed) ? parsed : {};
    section = isObj(doc.gateway) ? doc.gateway : {};
    // OpenAI-compatible upstreams go through Node's own HTTP client unless the config says "sdk":
    // the same wire and errors as the SDK at a fraction of the CPU and memory per request.
    const transport = section.upstream_transport ?? "http";
    if (typeof transport !== "string" || !TRANSPORTS.includes(transport))
      fail(
        `gateway.upstream_transport must be one of ${TRANSPORTS.join(", ")}, got ${JSON.stringify(transport)}`,
      );
    const { config, warnings } = parseConfig(text);
    for (const w of warnings) process.stderr.write(`llmux-gateway: config warning: ${w}\n`);
    const deployments = config.deployments.map((d) =>
      typeof d.model === "string" ? { ...d, params: { transport, ...d.params } } : d,
    );
    router = createRouter({ name: "gateway", ...config, deployments });
  } catch (e) {
    fail(isLlmuxError(e) || e instanceof Error ? e.message : String(e));
  }
  // Every deployment's model is made now, not by the first requests: those would wait for the
  // provider package's import, and a load arriving with the import leaves V8 a larger old space
  // for the rest of the run. A deployment that cannot be made (a missing key) is named here; its
  // requests fail with the same error until that is fixed, and the others are served.
  // The prices of the deployments are looked up in a child process meanwhile: the catalog never
  // compiles in this one (≈13 MB of RSS for as long as the gateway runs). Should that fail, the
  // router looks them up here, as before.
  const pricesPreloaded = preloadModelPrices(router.deployments.map((d) => d.modelId));
  await Promise.all(
    router.deployments.map(async (d) => {
      const model = d.model as Partial<LazyChatModel>;
      if (!model.load) return;
      try {
        await model.load();
      } catch (e) {
        process.stderr.write(
          `llmux-gateway: warning: deployment ${d.id} (${d.modelId}): ${e instanceof Error ? e.message : String(e)}\n`,
        );
      }
    }),
  );
  const preloaded = await pricesPreloaded;
  if (!preloaded.ok)
    process.stderr.write(`llmux-gateway: note: prices looked up in-process (${preloaded.error})\n`);
  const general = isObj(doc.general_settings) ? doc.general_settings : {};
  const masterKey =
    process.env.LLMUX_MASTER_KEY ??
    (substitute(section.master_key ?? general.master_key) as string | undefined);
  const host = values.host ?? (typeof section.host === "string" ? section.host : "127.0.0.1");
  const port = Number(values.port ?? section.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`port must be 0-65535, got ${values.port ?? section.port}`);
  const level = process.env.LLMUX_LOG_LEVEL ?? section.log_level ?? "info";
  if (typeof level !== "string" || !LOG_LEVELS.includes(level))
    fail(`log level must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(level)}`);
  // One JSON line per request on stdout, written in 4 KiB batches (and at least every 500 ms) rather
  // than a syscall per line; flushed on shutdown and exit. The batches are written synchronously
  // (pino's default): handing each to libuv's thread pool cost more CPU per request than the write
  // itself, and a stdout that stops reading slows the gateway down instead of filling its memory.
  const logStream = batchedLogStream(destination({ dest: 1, sync: true }));
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  try {
    gateway = await startGateway({
      model: router,
      models: router.groups,
      masterKey,
      host,
      port,
      logger: level === "silent" ? false : { level, stream: logStream },
      logContent: section.log_content === true,
      exposeMetadata: section.expose_metadata === true,
    });
  } catch (e) {
    fail((e as Error).message);
  }
  // Registered after the gateway's own exit listener, which writes its queued lines into this stream.
  process.once("exit", () => logStream.flushSync());
  process.stderr.write(
    `llmux-gateway: serving ${router.groups.join(", ")} at ${gateway.url}/v1${masterKey ? " (master key required)" : ""}\n`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`llmux-gateway: ${signal}: draining in-flight requests…\n`);
    await gateway.close();
    await router.close();
    logStream.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((e: unknown) => {
  process.stderr.write(`llmux-gateway: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
