// CPU time per request of several builds of the gateway service, interleaved, in one run: the A/B
// test for a change that saves a few microseconds, which the throughput bench cannot resolve on a
// shared machine. Each build is a checkout with `pnpm turbo run build` done (a `git worktree`, or a
// copy of the tree); `NAME=DIR:bare` runs that checkout's bare proxy instead, and `NAME=DIR:fastify`,
// `:adapter`, `:router` or `:gateway` one of the gateway's layers alone (serve-layers.mjs).
// `NAME=DIR@FLAG,FLAG` adds Node flags to that build's process (to compare flags: `a=../..
// b=../..@--max-semi-space-size=8`). One fake upstream (../shared/tools/peers), loopback only; a
// bounded number of requests per round.
//
//   node bench/cpu-ab.mjs [--mode json|sse] [--concurrency 10] [--requests 30000] [--rounds 9]
//                         [--idle-ms 0] [--warmup 20000] NAME=DIR[:KIND][@FLAGS] ...
//   e.g. git worktree add /tmp/before HEAD~1 && (cd /tmp/before && pnpm install && pnpm turbo run build)
//        node bench/cpu-ab.mjs before=/tmp/before after=../..
//
// Each build first serves --warmup requests, so that V8 has compiled its request path (a fresh
// llmux-gateway takes 15,000–20,000 requests to get there). For each build: the gateway's CPU time per request (user + system, from /proc/PID/stat) in every
// round, their median, the median throughput and the peak RSS. Rounds run the builds in turn, so a
// machine that speeds up or slows down during the run moves all of them. `--idle-ms` waits that long
// after the warm-up, as a gateway does between bursts: V8's memory reducer then runs full garbage
// collections, which change how fast Node's internals run afterwards (see next-tick-after-gc.mjs).
// NODE_ARGS (e.g. "--cpu-prof") is passed to every gateway process.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sendChats } from "./chat-request.mjs";
import { startNode, waitHttp } from "./children.mjs";
import { scriptArgs } from "./script-args.mjs";

const { values, positionals, fail, int } = scriptArgs("cpu-ab", {
  allowPositionals: true,
  options: {
    mode: { type: "string", default: "json" },
    concurrency: { type: "string", default: "10" },
    requests: { type: "string", default: "30000" },
    rounds: { type: "string", default: "9" },
    "idle-ms": { type: "string", default: "0" },
    warmup: { type: "string", default: "20000" },
  },
});
const ready = async (url) => {
  if (!(await waitHttp(url))) fail(`${url} did not answer within 20 s`);
};
const mode = values.mode;
if (mode !== "json" && mode !== "sse") fail(`--mode must be json or sse, got ${mode}`);
const concurrency = int("concurrency", 1, 1_000_000);
const requests = int("requests", 1, 1_000_000);
const rounds = int("rounds", 1, 1_000_000);
const warmup = int("warmup", 0, 1_000_000);
const idleMs = int("idle-ms", 0, 600_000);
// What NAME=DIR:KIND runs instead of that checkout's llmux-gateway: the bare proxy or one layer.
const KINDS = ["bare", "fastify", "adapter", "router", "gateway"];
const SPEC = `NAME=DIR[:KIND][@NODE_FLAG,...], KIND one of ${KINDS.join(", ")}`;
if (positionals.length === 0) fail(`name at least one build: ${SPEC}`);

const peers = fileURLToPath(new URL("../../../../shared/tools/peers/", import.meta.url));
if (!existsSync(`${peers}fake-upstream.mjs`)) fail(`${peers} not found: ../shared must sit beside the repo`);

const UPSTREAM_PORT = 9201;
startNode([`${peers}fake-upstream.mjs`], { PORT: String(UPSTREAM_PORT) });
await ready(`http://127.0.0.1:${UPSTREAM_PORT}/v1/models`);
const upstream = `http://127.0.0.1:${UPSTREAM_PORT}/v1`;
const nodeArgs = (process.env.NODE_ARGS ?? "").split(" ").filter(Boolean);

const builds = [];
for (const [i, spec] of positionals.entries()) {
  const m = new RegExp(`^([\\w.-]+)=(.+?)(?::(${KINDS.join("|")}))?(?:@(.+))?$`).exec(spec);
  if (!m) fail(`"${spec}" is not ${SPEC}`);
  const [, name, dirArg, kind, flags] = m;
  const args0 = [...nodeArgs, ...(flags ? flags.split(",") : [])];
  const dir = resolve(dirArg);
  if (!existsSync(dir)) fail(`${dir} does not exist (${SPEC})`);
  const port = 9210 + i;
  const script =
    kind === "bare"
      ? `${dir}/packages/gateway/bench/serve-bare-proxy.mjs`
      : kind
        ? `${dir}/packages/gateway/bench/serve-layers.mjs`
        : `${dir}/apps/gateway/dist/cli.js`;
  if (!existsSync(script)) fail(`${script} not found (build that checkout first: pnpm turbo run build)`);
  const args = kind
    ? [...args0, script]
    : [
        ...args0,
        script,
        "--config",
        `${dir}/packages/gateway/bench/llmux-bench.yaml`,
        "--port",
        String(port),
      ];
  const child = startNode(args, { PORT: String(port), UPSTREAM: upstream, LAYER: kind ?? "" });
  await ready(`http://127.0.0.1:${port}/health`);
  builds.push({ name, child, origin: `http://127.0.0.1:${port}`, cpu: [], rps: [], rss: 0 });
}

/** Peak resident set size of a process so far (VmHWM), in MB. */
function peakRssMb(pid) {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb ?? 0) / 1024;
}

/** User + system CPU time of a process, in clock ticks (1/100 s on Linux). */
function ticks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

async function load(build, count) {
  await sendChats(build.origin, { count, concurrency, stream: mode === "sse" }).catch((e) =>
    fail(`${build.name}: ${e.message}`),
  );
}

if (warmup > 0) for (const b of builds) await load(b, warmup);
if (idleMs > 0) await new Promise((r) => setTimeout(r, idleMs));
for (let round = 0; round < rounds; round++) {
  for (const b of builds) {
    const before = ticks(b.child.pid);
    const t0 = performance.now();
    await load(b, requests);
    const seconds = (performance.now() - t0) / 1000;
    b.cpu.push(((ticks(b.child.pid) - before) * 10_000) / requests);
    b.rps.push(requests / seconds);
    b.rss = peakRssMb(b.child.pid);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `cpu-ab: ${mode}, concurrency ${concurrency}, ${warmup} warm-up requests, ${requests} requests × ${rounds} rounds${idleMs ? `, ${idleMs} ms idle after the warm-up` : ""}, Node ${process.version}`,
);
for (const b of builds) {
  console.log(
    `${b.name.padEnd(12)} CPU µs/req median ${median(b.cpu).toFixed(1).padStart(6)}  [${b.cpu.map((x) => x.toFixed(0)).join(", ")}]  req/s median ${median(b.rps).toFixed(0)}  peak RSS ${b.rss.toFixed(0)} MB`,
  );
}
// A clean stop, so that a --cpu-prof profile gets written.
await Promise.all(
  builds.map(
    ({ child }) =>
      new Promise((r) => {
        child.once("exit", r);
        child.kill("SIGTERM");
        setTimeout(r, 5000).unref();
      }),
  ),
);
process.exit(0);
