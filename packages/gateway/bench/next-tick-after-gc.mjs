// A Node/V8 effect that moves the gateway's CPU per request: one full garbage collection while no
// process.nextTick callback is pending makes nextTick about twice as slow for the rest of the process
// (Node 22 and 24). The collection frees the hidden classes ("maps") of the tick objects, which nothing
// holds once the tick queue is empty; the next ticks build new ones, and the inline caches that create
// tick objects go megamorphic and stay so. Holding one tick object alive (--keep) keeps the maps and
// the fast path. The gateway bench README says what this means for its numbers.
//
//   node --expose-gc bench/next-tick-after-gc.mjs          # ns per tick before and after a full GC
//   node --expose-gc bench/next-tick-after-gc.mjs --keep   # the same, one tick object held alive
import { createHook } from "node:async_hooks";

if (typeof globalThis.gc !== "function") {
  console.error("next-tick-after-gc: run with node --expose-gc");
  process.exit(2);
}
const keep = process.argv.includes("--keep");
const noop = () => {};
// Held for the life of the process and never read: holding it is the point.
let _held;
if (keep) {
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type === "TickObject") _held ??= resource;
    },
  }).enable();
  process.nextTick(noop);
  hook.disable();
}
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Nanoseconds per nextTick, queueing and running included, over 200,000 ticks in batches of 100. */
async function nsPerTick() {
  const t0 = process.hrtime.bigint();
  for (let batch = 0; batch < 2000; batch++) {
    for (let i = 0; i < 100; i++) process.nextTick(noop);
    await turn();
  }
  return Number(process.hrtime.bigint() - t0) / 200_000;
}

await nsPerTick(); // warm up: the JIT optimizes nextTick
const before = await nsPerTick();
for (let i = 0; i < 3; i++) {
  await turn(); // the tick queue is empty here
  globalThis.gc();
  process.nextTick(noop);
  await turn();
}
const after = [await nsPerTick(), await nsPerTick()];
console.log(
  `Node ${process.version}${keep ? ", one tick object held" : ""}: nextTick ${before.toFixed(0)} ns before full GCs, ` +
    `${after.map((x) => x.toFixed(0)).join(" / ")} ns after`,
);
