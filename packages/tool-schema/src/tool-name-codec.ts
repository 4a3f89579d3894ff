import { TOOL_NAME_RULES, type ToolNameRule } from "./tool-name-rules.js";
import type { ToolTarget } from "./tool-types.js";

/** An MCP tool's identity: its name and, with several servers, the server it lives on. */
export interface DecodedToolName {
  name: string;
  server?: string;
}

/** Separator between a server prefix and the tool name (`github__create_issue`). */
export const TOOL_PREFIX_SEPARATOR = "__";

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

function keyOf(name: string, server: string | undefined): string {
  return server === undefined ? `\u0000${name}` : `${server}\u0000${name}`;
}

/**
 * Maps MCP tool names (which may hold dots, slashes, spaces, or be long) to names a provider accepts,
 * and back. Names that are already valid pass through unchanged; others are cleaned, shortened with a
 * hash of the original, and never collide. One codec per request (or per tool list).
 *
 * @example
 * const codec = new ToolNameCodec("openai");
 * codec.encode("files/read.text", "fs");   // "fs__files_read_text"
 * codec.decode("fs__files_read_text");     // { server: "fs", name: "files/read.text" }
 */
export class ToolNameCodec {
  readonly target: ToolTarget;
  private readonly rule: ToolNameRule;
  private readonly toProvider = new Map<string, string>();
  private readonly fromProvider = new Map<string, DecodedToolName>();

  constructor(target: ToolTarget = "openai") {
    this.target = target;
    this.rule = TOOL_NAME_RULES[target];
  }

  /** The provider-safe name for a tool (stable: the same input always gets the same name in this codec). */
  encode(name: string, server?: string): string {
    const key = keyOf(name, server);
    const known = this.toProvider.get(key);
    if (known !== undefined) return known;
    const joined = server === undefined || server === "" ? name : `${server}${TOOL_PREFIX_SEPARATOR}${name}`;
    let wire = this.clean(joined);
    // Too long, or taken by another tool: shorten and add a hash of the original (still readable).
    if (wire.length > this.rule.maxLength || this.fromProvider.has(wire)) wire = this.hashed(wire, key, 0);
    for (let attempt = 1; this.fromProvider.has(wire); attempt++) wire = this.hashed(wire, key, attempt);
    this.toProvider.set(key, wire);
    this.fromProvider.set(wire, server === undefined || server === "" ? { name } : { server, name });
    return wire;
  }

  /** The MCP tool behind a provider name, or `undefined` when this codec never produced it. */
  decode(providerName: string): DecodedToolName | undefined {
    return this.fromProvider.get(providerName);
  }

  /** Whether `encode` changed the name (the model will see another name than the server's). */
  isRenamed(name: string, server?: string): boolean {
    const wire = this.toProvider.get(keyOf(name, server));
    return wire !== undefined && wire !== name;
  }

  /** All provider names issued so far, with what they stand for. */
  entries(): Array<[string, DecodedToolName]> {
    return [...this.fromProvider.entries()];
  }

  private clean(name: string): string {
    if (this.rule.pattern.test(name)) return name;
    let out = name.replace(this.rule.disallowed, "_");
    if (out === "") out = "tool";
    if (this.rule.first && !this.rule.first.test(out[0]!)) out = `_${out}`;
    return out;
  }

  private hashed(cleaned: string, key: string, attempt: number): string {
    const suffix = `_${fnv1a(attempt === 0 ? key : `${key}\u0000${attempt}`)}`;
    return cleaned.slice(0, this.rule.maxLength - suffix.length) + suffix;
  }
}
