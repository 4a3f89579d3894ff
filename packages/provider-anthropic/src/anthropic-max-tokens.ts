// The Messages API requires `max_tokens`; OpenAI-style callers usually omit it. When they do, llmux
// sends the model's maximum output (so an omitted limit means "no limit", as on OpenAI).
const MAX_OUTPUT_TOKENS: Array<[RegExp, number]> = [
  [/claude-3-haiku|claude-3-opus|claude-3-sonnet|claude-instant|claude-2/, 4096],
  [/claude-3-5-/, 8192],
  [/claude-opus-4-0|claude-opus-4-1|claude-opus-4-2025|claude-4-opus/, 32000],
  [/claude-3-7-sonnet|claude-sonnet-4|claude-haiku-4|claude-opus-4-[5-9]|claude-4-sonnet/, 64000],
  // Later families (claude-<name>-5…): at least what their predecessors allowed.
  [/claude-[a-z]+-[5-9]/, 64000],
];

/** Fallback for models not in the table (newer models accept at least this much). */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

/**
 * The `max_tokens` llmux sends when the caller gives none: the model's documented maximum output.
 *
 * @example
 * defaultAnthropicMaxTokens("claude-sonnet-4-0") // 64000
 */
export function defaultAnthropicMaxTokens(model: string): number {
  for (const [pattern, tokens] of MAX_OUTPUT_TOKENS) if (pattern.test(model)) return tokens;
  return DEFAULT_ANTHROPIC_MAX_TOKENS;
}
