/**
 * Ollama sends tool calls without ids. llmux gives each one an id derived from the response (its
 * `created_at`), the call's position, name and arguments: the same answer always gets the same id,
 * in a stream and in a whole response alike.
 */
export function ollamaToolCallId(seed: string, index: number, name: string, args: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const text = `${seed}\u0000${index}\u0000${name}\u0000${args}`;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `call_${(h1 >>> 0).toString(16).padStart(8, "0")}${(h2 >>> 0).toString(16).padStart(8, "0")}${index}`;
}
