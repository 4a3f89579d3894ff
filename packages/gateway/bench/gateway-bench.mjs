// The gateway bench, in one run, against one fake upstream, loopback only:
//   direct   the fake OpenAI upstream itself (the ceiling)
//   bare     a bare pass-through proxy on node:http + undici (the practical limit: bench/serve-bare-proxy.mjs)
//   llmux    the real `llmux-gateway` service (apps/gateway) with bench/llmux-bench.yaml: router,
//            retries, cooldowns, pricing, ledger, Prometheus metrics and request logs all on
//   llmux-docker  the same service with the memory settings of apps/gateway/Dockerfile (its
//            NODE_OPTIONS, LD_PRELOAD (jemalloc) and MALLOC_CONF lines, read from the file)
//   bare-docker  the bare proxy with the same memory settings (the floor for the RSS goal)
//   portkey  Portkey's open-source gateway (@portkey-ai/gateway, from ../shared/tools/peers)
// Throughput and latency at concurrency 1/10/50 for JSON and SSE (autocannon, peers/bench.mjs),
// time to the first SSE event at concurrency 1 (bench/first-event.mjs), peak RSS of each gateway.
//
// Run (after `pnpm turbo run build`): pnpm --filter @llmux/gateway bench
// Env: DURATION (s per cell, default 5), WARMUP (s per target and mode before its cells, default 5),
// CONCURRENCY (1,10,50), MODES (json,sse), TARGETS (direct,bare,llmux,llmux-docker,bare-docker,portkey),
// FIRST_EVENT_REQUESTS (2000), PEERS_DIR (/tmp/llmux-peers).
// The warm-up is longer than the harness's 1 s so that every gateway is measured once V8 has compiled
// its request path: a fresh llmux-gateway takes 15,000–20,000 requests to get there (1 s at
// concurrency 50 is ≈8,000), and its concurrency-1 cells, which come first, would otherwise time the
// compiler's threads competing for this machine's two cores.
// Prints JSON lines (stdout) and markdown tables at the end; every load loop is bounded in time.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, openSync, readFileSync } from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { parseRunLines, printTables } from "./gateway-tables.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const peers = here("../../../../shared/tools/peers/");
const cli = here("../../../apps/gateway/dist/cli.js");
const dockerfile = here("../../../apps/gateway/Dockerfile");
for (const [file, why] of [
  [`${peers}bench.mjs`, "the shared peers harness must sit beside the repo (../shared/tools/peers)"],
  [cli, "build first: pnpm turbo run build"],
]) {
  if (!existsSync(file)) {
    console.error(`gateway bench: ${file} not found: ${why}`);
    process.exit(1);
  }
}

const env = process.env;
const duration = env.DURATION ?? "5";
const warmup = env.WARMUP ?? "5";
// The harness takes 1–120 s per cell and 0–30 s of warm-up; say so before anything starts.
for (const [name, value, min, max] of [
  ["DURATION", duration, 1, 120],
  ["WARMUP", warmup, 0, 30],
]) {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) < min || Number(value) > max) {
    console.error(`gateway bench: ${name} must be a number of seconds from ${min} to ${max}, got "${value}"`);
    process.exit(2);
  }
}
const concurrency = env.CONCURRENCY ?? "1,10,50";
const modes = env.MODES ?? "json,sse";
const wanted = new Set((env.TARGETS ?? "direct,bare,llmux,llmux-docker,bare-docker,portkey").split(","));
const PORTS = {
  fake: 9001,
  bare: 8081,
  llmux: 8080,
  "llmux-docker": 8082,
  "bare-docker": 8083,
  portkey: 8787,
};
// The container's memory settings, taken from the Dockerfile so the bench measures what it ships.
function dockerSettings() {
  const names = ["NODE_OPTIONS", "LD_PRELOAD", "MALLOC_CONF"];
  const settings = Object.fromEntries(
    [...readFileSync(dockerfile, "utf8").matchAll(/^ENV ([A-Z_]+)=(\S+)$/gm)]
      .filter((m) => names.includes(m[1]))
      .map((m) => [m[1], m[2]]),
  );
  if (Object.keys(settings).length !== names.length) {
    console.error(
      `gateway bench: ${dockerfile} must set ${names.map((k) => `ENV ${k}=…`).join(", ")} (one per line)`,
    );
    process.exit(1);
  }
  // The image links jemalloc to one path; here it is wherever the distribution put it.
  if (!existsSync(settings.LD_PRELOAD)) {
    const name = settings.LD_PRELOAD.slice(settings.LD_PRELOAD.lastIndexOf("/") + 1);
    const dirs = [
      "/usr/lib/x86_64-linux-gnu",
      "/usr/lib/aarch64-linux-gnu",
      "/usr/lib64",
      "/usr/lib",
      "/usr/local/lib",
    ];
    const local = dirs.map((d) => `${d}/${name}`).find((f) => existsSync(f));
    if (local === undefined) {
      console.error(
        `gateway bench: ${name} not found (the Docker image preloads it); install it (Debian: apt-get install libjemalloc2) or leave llmux-docker out of TARGETS`,
      );
      process.exit(1);
    }
    settings.LD_PRELOAD = local;
  }
  return settings;
}
const dockerEnv = wanted.has("llmux-docker") || wanted.has("bare-docker") ? dockerSettings() : undefined;
const PEERS_DIR = env.PEERS_DIR ?? "/tmp/llmux-peers";
const log = (...m) => console.error("gateway bench:", ...m);

const started = [];
process.on("exit", () => {
  for (const child of started) child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

function portFree(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

async function waitHttp(url, seconds) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    try {
      await fetch(url); // any HTTP answer: the server is up
      return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

function start(name, args, options = {}) {
  const out = openSync(`/tmp/llmux-bench-${name}.log`, "w");
  const child = spawn(process.execPath, args, {
    ...options,
    env: { ...env, ...options.env },
    stdio: ["ignore", out, out],
  });
  started.push(child);
  return child;
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

const rssMb = (pid) => {
  const r = spawnSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" });
  return Math.round(Number(r.stdout.trim()) / 1024);
};

for (const [name, port] of Object.entries(PORTS)) {
  if ((name === "fake" || wanted.has(name)) && !(await portFree(port))) {
    log(`port ${port} (${name}) on 127.0.0.1 is taken; stop that process first`);
    process.exit(1);
  }
}
if (wanted.has("portkey")) {
  const setup = spawnSync("bash", [`${peers}setup.sh`], { stdio: ["ignore", "inherit", "inherit"], env });
  if (setup.status !== 0) process.exit(1);
}

const fake = start("fake-upstream", [`${peers}fake-upstream.mjs`], { env: { PORT: String(PORTS.fake) } });
await waitHttp(`http://127.0.0.1:${PORTS.fake}/v1/models`, 10);
const pids = {};
for (const [name, extraEnv] of [
  ["bare", {}],
  ["bare-docker", dockerEnv],
]) {
  if (!wanted.has(name)) continue;
  const bare = start(name, [here("./serve-bare-proxy.mjs")], {
    env: { PORT: String(PORTS[name]), ...extraEnv },
  });
  await waitHttp(`http://127.0.0.1:${PORTS[name]}/`, 10);
  pids[name] = bare.pid;
}
for (const [name, extraEnv] of [
  ["llmux", {}],
  ["llmux-docker", dockerEnv],
]) {
  if (!wanted.has(name)) continue;
  const llmux = start(name, [cli, "--config", here("./llmux-bench.yaml"), "--port", String(PORTS[name])], {
    env: { UPSTREAM: `http://127.0.0.1:${PORTS.fake}/v1`, ...extraEnv },
  });
  await waitHttp(`http://127.0.0.1:${PORTS[name]}/health`, 20);
  pids[name] = llmux.pid;
}
for (const name of ["llmux-docker", "bare-docker"].filter((t) => wanted.has(t))) {
  if (!readFileSync(`/proc/${pids[name]}/maps`, "utf8").includes(dockerEnv.LD_PRELOAD)) {
    log(`${name} did not load ${dockerEnv.LD_PRELOAD}; see /tmp/llmux-bench-${name}.log`);
    process.exit(1);
  }
  log(`${name} runs with ${JSON.stringify(dockerEnv)}`);
}
if (wanted.has("portkey")) {
  const portkey = start(
    "portkey",
    [
      "--require",
      `${peers}loopback-only.cjs`,
      "node_modules/@portkey-ai/gateway/build/start-server.js",
      `--port=${PORTS.portkey}`,
      "--headless",
    ],
    { cwd: PEERS_DIR },
  );
  await waitHttp(`http://127.0.0.1:${PORTS.portkey}/`, 20);
  pids.portkey = portkey.pid;
}
const idle = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, rssMb(pid)]));
log(`started: ${Object.keys(pids).join(", ")}; idle RSS MB ${JSON.stringify(idle)}`);

// Throughput and latency: every target, mode and concurrency, interleaved target by target.
const targets = [...["direct", "llmux", "portkey"].filter((t) => wanted.has(t))];
const args = [
  `${peers}bench.mjs`,
  "--target",
  targets.join(","),
  "--duration",
  duration,
  "--warmup",
  warmup,
  "--concurrency",
  concurrency,
  "--modes",
  modes,
];
// The harness labels URL targets "url:PORT"; they are renamed after the run.
const urlTargets = ["bare", "llmux-docker", "bare-docker"].filter((t) => wanted.has(t));
const label = (name) => (urlTargets.includes(name) ? `url:${PORTS[name]}` : name);
for (const t of urlTargets) args.push("--target", `http://127.0.0.1:${PORTS[t]}/v1`);
if (urlTargets.length > 0) args.push("-H", "authorization: Bearer sk-test");
for (const [name, pid] of Object.entries(pids)) args.push("--pid", `${label(name)}=${pid}`);
const load = spawnSync(process.execPath, args, {
  env: {
    ...env,
    PEERS_DIR,
    FAKE_PORT: String(PORTS.fake),
    PORTKEY_PORT: String(PORTS.portkey),
    LLMUX_URL: `http://127.0.0.1:${PORTS.llmux}/v1`,
    LLMUX_MODEL: "gpt-4o-mini",
  },
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
  timeout: 20 * 60_000,
});
const byLabel = Object.fromEntries(urlTargets.map((t) => [label(t), t]));
const rows = parseRunLines(load.stdout).map((r) =>
  byLabel[r.target] ? { ...r, target: byLabel[r.target] } : r,
);

// Time to the first SSE event, concurrency 1, one target after another in blocks.
const firstTargets = ["direct", "bare", "llmux", "llmux-docker", "bare-docker", "portkey"].filter((t) =>
  wanted.has(t),
);
const url = (t) => `http://127.0.0.1:${t === "direct" ? PORTS.fake : PORTS[t]}/v1`;
const first = spawnSync(
  process.execPath,
  [
    here("./first-event.mjs"),
    ...firstTargets.map((t) => `${t}=${url(t)}`),
    "--requests",
    env.FIRST_EVENT_REQUESTS ?? "2000",
  ],
  {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 5 * 60_000,
    env: { ...env, FAKE_PORT: String(PORTS.fake) },
  },
);
rows.push(...parseRunLines(first.stdout));
for (const name of Object.keys(pids)) rows.push({ kind: "idle_rss", target: name, rss_mb: idle[name] });
// What the tables need to be printed again from these lines (bench/gateway-tables.mjs).
const date = new Date();
rows.unshift({ kind: "run", date: date.toISOString(), duration, warmup, node: process.version });
for (const r of rows) console.log(JSON.stringify(r));

for (const child of started.slice().reverse()) await stop(child);
void fake;

printTables(rows, { duration, warmup, date });
process.exitCode = load.status === 0 && first.status === 0 ? 0 : 1;
