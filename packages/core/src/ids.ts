/** A random id with a prefix, e.g. `generateId("call")` → `"call_3f9a…"` (24 hex chars; random, not clock-based). */
export function generateId(prefix: string): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return `${prefix}_${hex}`;
}
