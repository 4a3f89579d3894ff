import { LlmuxError } from "./llmux-error.js";

export interface ModelId {
  provider: string;
  /** Everything after the first `/`: may itself contain `/`, `.` and `:` (OpenRouter, Bedrock ids). */
  model: string;
}

const PROVIDER = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * Splits `"provider/model"` at the first slash.
 *
 * @example
 * parseModelId("bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0") // { provider: "bedrock", model: "anthropic.claude-…" }
 */
export function parseModelId(id: string, options: { defaultProvider?: string } = {}): ModelId {
  const fail = (why: string): never => {
    throw new LlmuxError({
      kind: "bad_request",
      param: "model",
      message: `invalid model id ${JSON.stringify(id)}: ${why}; expected "provider/model", e.g. "openai/gpt-4o-mini" or "anthropic/claude-sonnet-4-0"`,
    });
  };
  if (typeof id !== "string") return fail(`expected a string, got ${id === null ? "null" : typeof id}`);
  const trimmed = id.trim();
  if (trimmed === "") return fail("it is empty");
  if (trimmed !== id || /\s/.test(id)) return fail("it contains whitespace");
  const slash = id.indexOf("/");
  if (slash === -1) {
    if (options.defaultProvider) return { provider: options.defaultProvider, model: id };
    return fail("it has no provider prefix");
  }
  const provider = id.slice(0, slash);
  const model = id.slice(slash + 1);
  if (provider === "") return fail("the provider part is empty");
  if (!PROVIDER.test(provider))
    return fail(`provider "${provider}" must be lowercase letters, digits, "-" or "_"`);
  if (model === "") return fail("the model part is empty");
  return { provider, model };
}

/** The inverse of `parseModelId`. */
export function formatModelId(id: ModelId): string {
  return `${id.provider}/${id.model}`;
}
