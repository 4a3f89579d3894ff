// Random bytes are drawn 64 KiB at a time (getRandomValues' limit): one call per 5,461 ids instead of
// one per id (ids are made on every gateway request and every synthesised tool call).
const POOL_BYTES = 12 * 5461;
const pool = new Uint8Array(POOL_BYTES);
let offset = POOL_BYTES;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** A random id with a prefix, e.g. `generateId("call")` → `"call_3f9a…"` (24 hex chars; random, not clock-based). */
export function generateId(prefix: string): string {
  if (offset === POOL_BYTES) {
    globalThis.crypto.getRandomValues(pool);
    offset = 0;
  }
  let hex = "";
  for (let i = offset; i < offset + 12; i++) hex += HEX[pool[i]!];
  offset += 12;
  return `${prefix}_${hex}`;
}
