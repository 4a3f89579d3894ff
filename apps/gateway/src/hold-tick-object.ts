import { createHook } from "node:async_hooks";

let held: object | undefined;

/**
 * Keeps one `process.nextTick` tick object alive for the life of the process, so that `nextTick`
 * stays on V8's fast path.
 *
 * V8 holds the hidden classes ("maps") of short-lived objects weakly. Once the tick queue is empty,
 * nothing refers to the maps of Node's tick objects, and a full garbage collection (the one at
 * start-up, or the memory reducer's after a quiet spell) frees them. The ticks after that build new
 * maps, the inline caches in `nextTick` that create tick objects go megamorphic, and they stay so:
 * every `nextTick` then takes V8's slow path, about five times slower (Node 22 and 24;
 * `bench/next-tick-after-gc.mjs` in @llmux/gateway shows it). The gateway makes about eight ticks per
 * request; holding one tick object keeps its maps, and the fast path, whatever the collector does.
 *
 * The async hook is enabled for a single `nextTick` call, then disabled. Returns the held object
 * (`undefined` if this Node version creates no "TickObject" resource, in which case nothing is held).
 */
export function holdTickObject(): object | undefined {
  if (held) return held;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === "TickObject") held ??= resource;
    },
  }).enable();
  process.nextTick(() => {});
  hook.disable();
  return held;
}
