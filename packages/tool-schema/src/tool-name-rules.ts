import type { ToolTarget } from "./tool-types.js";

/** What a provider accepts as a tool (function) name. */
export interface ToolNameRule {
  /** Characters not allowed anywhere (global regex); each becomes `_`. */
  disallowed: RegExp;
  /** The whole name must match this. */
  pattern: RegExp;
  maxLength: number;
  /** The first character must match this (Gemini: a letter or `_`). */
  first?: RegExp;
}

// Documented limits, one row per provider (Portkey-style table, not branches):
// - OpenAI function name: `^[a-zA-Z0-9_-]{1,64}$`.
// - Anthropic tool name: `^[a-zA-Z0-9_-]{1,64}$` (docs; the API has been seen to accept 128: we keep 64).
// - Bedrock Converse ToolSpecification.name: `^[a-zA-Z0-9_-]+$`, length 1–64.
// - Ollama documents no rule; models are trained on OpenAI-style names, so OpenAI's rule.
// - Gemini FunctionDeclaration.name: starts with a letter or `_`; a-z A-Z 0-9 `_` `-` (newer docs add `.`
//   and `:`); max 63 or 64 depending on the API version: we keep the intersection.
const OPENAI_LIKE: ToolNameRule = {
  disallowed: /[^a-zA-Z0-9_-]/g,
  pattern: /^[a-zA-Z0-9_-]{1,64}$/,
  maxLength: 64,
};

export const TOOL_NAME_RULES: Readonly<Record<ToolTarget, ToolNameRule>> = {
  openai: OPENAI_LIKE,
  anthropic: OPENAI_LIKE,
  ollama: OPENAI_LIKE,
  bedrock: OPENAI_LIKE,
  gemini: {
    disallowed: /[^a-zA-Z0-9_-]/g,
    pattern: /^[a-zA-Z_][a-zA-Z0-9_-]{0,62}$/,
    maxLength: 63,
    first: /[a-zA-Z_]/,
  },
};
