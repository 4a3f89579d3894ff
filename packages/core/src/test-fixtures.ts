// Test-only helpers for reading recorded provider streams (not exported from the package).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChatChunk } from "./chat-types.js";

const dir = join(import.meta.dirname, "__fixtures__");

export function fixtureText(name: string): string {
  return readFileSync(join(dir, name), "utf8");
}

/** Chunks from a `.chunks.txt` (one JSON per line) or `.sse` (`data:` lines, `[DONE]` dropped) file. */
export function fixtureChunks(name: string): ChatChunk[] {
  const text = fixtureText(name);
  const lines = name.endsWith(".sse")
    ? text
        .split("\n")
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .filter((l) => l.trim() !== "[DONE]")
    : text.split("\n").filter((l) => l.trim() !== "");
  return lines.map((l) => JSON.parse(l) as ChatChunk);
}
