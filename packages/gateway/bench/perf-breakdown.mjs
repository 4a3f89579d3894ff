// Where one gateway process spends its CPU, from Linux `perf` (on-CPU samples of every thread, kernel
// included), by layer: each sample goes to the package of the innermost JavaScript frame on its
// stack, so builtins and runtime calls (JSON, inline-cache stubs, string work) count for the code that
// called them; kernel samples, V8's helper threads and GC count apart. Unlike `--cpu-prof`, it does not
// count the time a thread is off the CPU (preempted after waking a peer with a socket write).
//
//   node bench/perf-breakdown.mjs [--target llmux|bare] [--mode json|sse] [--requests 30000]
//                                 [--warmup 20000] [--top 0]
//
// --top N also lists the N functions with the most samples, each sample counted for the innermost
// JavaScript function on its stack (so a JSON.parse counts for the function that called it).
//
// Needs `perf` (Debian: apt-get install linux-perf) and the right to use it (root, or
// kernel.perf_event_paranoid <= 1). One fake upstream (../shared/tools/peers), loopback only, a
// bounded number of requests. Sampling at 5 kHz with frame pointers slows the process down (≈1.7×):
// read the shares, and the µs only against another run of this script. The warm-up (20,000 requests
// unless told) lets V8 finish compiling the request path first: a fresh llmux-gateway spends 136–240
// µs of CPU per request over its first 15,000 requests, most of it in the optimizing compilers'
// threads, and 74–86 µs from 20,000 on.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sendChats } from "./chat-request.mjs";
import { startNode, waitHttp } from "./children.mjs";
import { scriptArgs } from "./script-args.mjs";

const { values, fail, int } = scriptArgs("perf-breakdown", {
  options: {
    target: { type: "string", default: "llmux" },
    mode: { type: "string", default: "json" },
    requests: { type: "string", default: "30000" },
    warmup: { type: "string", default: "20000" },
    top: { type: "string", default: "0" },
  },
});
const ready = async (url) => {
  if (!(await waitHttp(url))) fail(`${url} did not answer within 20 s`);
};
const { target, mode } = values;
if (target !== "llmux" && target !== "bare") fail(`--target must be llmux or bare, got ${target}`);
if (mode !== "json" && mode !== "sse") fail(`--mode must be json or sse, got ${mode}`);
const requests = int("requests", 1000, 1_000_000);
const warmup = int("warmup", 0, 1_000_000);
const top = int("top", 0, 1000);
try {
  execFileSync("perf", ["--version"], { stdio: "ignore" });
} catch {
  fail("perf not found (Debian: apt-get install linux-perf)");
}

const root = fileURLToPath(new URL("../../../", import.meta.url));
const peers = fileURLToPath(new URL("../../../../shared/tools/peers/", import.meta.url));
if (!existsSync(`${peers}fake-upstream.mjs`)) fail(`${peers} not found: ../shared must sit beside the repo`);
const script =
  target === "bare"
    ? `${root}packages/gateway/bench/serve-bare-proxy.mjs`
    : `${root}apps/gateway/dist/cli.js`;
if (!existsSync(script)) fail(`${script} not found (build first: pnpm turbo run build)`);

const [UPSTREAM_PORT, PORT] = [9401, 9402];
startNode([`${peers}fake-upstream.mjs`], { PORT: String(UPSTREAM_PORT) });
await ready(`http://127.0.0.1:${UPSTREAM_PORT}/v1/models`);
// --perf-basic-prof names JIT code for perf; --interpreted-frames-native-stack makes interpreted frames walkable.
const flags = ["--perf-basic-prof", "--interpreted-frames-native-stack"];
const args =
  target === "bare"
    ? [...flags, script]
    : [
        ...flags,
        script,
        "--config",
        `${root}packages/gateway/bench/llmux-bench.yaml`,
        "--port",
        String(PORT),
      ];
const service = startNode(args, { PORT: String(PORT), UPSTREAM: `http://127.0.0.1:${UPSTREAM_PORT}/v1` });
await ready(`http://127.0.0.1:${PORT}/health`);

const load = (count) =>
  sendChats(`http://127.0.0.1:${PORT}`, { count, concurrency: 10, stream: mode === "sse" }).catch((e) =>
    fail(e.message),
  );

if (warmup > 0) await load(warmup);
const data = join(tmpdir(), `llmux-perf-${process.pid}.data`);
const perfArgs = ["record", "-e", "cpu-clock", "-F", "4999", "-g", "-p", String(service.pid), "-o", data];
const recorder = spawn("perf", perfArgs, { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 500));
await load(requests);
recorder.kill("SIGINT");
await new Promise((r) => recorder.once("exit", r));

const LAYERS = [
  [/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?undici\//, "undici (upstream client)"],
  [
    /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(?:pino|sonic-boom|quick-format-unescaped|fast-redact|safe-stable-stringify)\//,
    "pino request logs",
  ],
  [/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(?:prom-client|tdigest|bintrees)\//, "prom-client"],
  [
    /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(?:fastify|find-my-way|@fastify\/[^/]+|avvio|light-my-request|fast-json-stringify|abstract-logging|toad-cache|fast-querystring|secure-json-parse|process-warning)\//,
    "fastify",
  ],
  [/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?eventsource-parser\//, "llmux OpenAI adapter"],
  [/\/apps\/gateway\//, "pino request logs"], // the service's log batching
  [/\/packages\/provider-openai\//, "llmux OpenAI adapter"],
  [/\/packages\/(?:router|pricing|llmux|pii)\//, "llmux router"],
  [/\/packages\/gateway\/bench\//, "the bare proxy's own code"],
  [/\/packages\/(?:gateway|core)\//, "llmux gateway"],
  [/ node:_http_/, "node:http"],
  [/ node:/, "Node's JavaScript (streams, events, net, timers)"],
];
const GC = /Heap::|Scavenger|MarkCompact|IncrementalMarking|MinorMS|ConcurrentMarking|GCTracer/;
const JS_FRAME = / (?:JS|LazyCompile|Function):/;
function layerOf(thread, frames) {
  if (thread !== "MainThread") return "V8 helper threads (GC marking, compilers)";
  if (/^\s*ffffffff/.test(frames[0])) return "kernel (syscalls, loopback TCP, scheduling)";
  for (const frame of frames) {
    if (GC.test(frame)) return "garbage collection (main thread)";
    if (JS_FRAME.test(frame)) {
      const hit = LAYERS.find(([re]) => re.test(frame));
      if (hit) return hit[1];
    }
  }
  return "Node's C++ and libuv (event loop, HTTP parser)";
}
/** The innermost JavaScript function of a main-thread sample: its name and file, without the address. */
function functionOf(thread, frames) {
  if (thread !== "MainThread") return undefined;
  const frame = frames.find((f) => JS_FRAME.test(f));
  return frame
    ?.trim()
    .replace(/^[0-9a-f]+\s+/, "") // the address
    .replace(/ \(\/[^)]*\)$/, "") // the perf map file
    .replace(/^JS:[*+~^]?'?/, "") // V8's tier marks
    .replaceAll("file://", "")
    .replace(/\S*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, "")
    .replaceAll(root, "");
}

const text = execFileSync("perf", ["script", "-i", data, "-F", "comm,ip,sym"], {
  maxBuffer: 1 << 30,
  encoding: "utf8",
  stdio: ["ignore", "pipe", "ignore"],
});
rmSync(data, { force: true });
const totals = new Map();
const functions = new Map();
let samples = 0;
for (const block of text.split("\n\n")) {
  const lines = block.split("\n").filter(Boolean);
  if (lines.length < 2) continue;
  samples++;
  const thread = lines[0].trim().split(/\s+/)[0];
  const layer = layerOf(thread, lines.slice(1));
  totals.set(layer, (totals.get(layer) ?? 0) + 1);
  const fn = top > 0 ? functionOf(thread, lines.slice(1)) : undefined;
  if (fn) functions.set(fn, (functions.get(fn) ?? 0) + 1);
}
if (samples === 0) fail("perf recorded no samples (is perf allowed here? try as root)");
const us = (n) => ((n / 4999 / requests) * 1e6).toFixed(1);
console.log(
  `perf-breakdown: ${target}, ${mode}, concurrency 10, ${requests} requests after ${warmup}, ${samples} samples, ` +
    `${us(samples)} µs of CPU per request under perf, Node ${process.version}`,
);
console.log("| where | µs/req | share |\n|---|---:|---:|");
for (const [layer, n] of [...totals].sort((a, b) => b[1] - a[1]))
  console.log(`| ${layer} | ${us(n)} | ${((100 * n) / samples).toFixed(1)}% |`);
if (top > 0) {
  console.log(`\n| innermost JavaScript function (top ${top}) | µs/req | share |\n|---|---:|---:|`);
  for (const [fn, n] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`| \`${fn.replaceAll("|", "\\|")}\` | ${us(n)} | ${((100 * n) / samples).toFixed(1)}% |`);
}
service.kill("SIGTERM");
process.exit(0);
