import { classifyHttpError, findConnectionErrorCode, isLlmuxError, LlmuxError } from "@llmux/core";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai/error";

/**
 * Maps anything the `openai` SDK throws to an `LlmuxError`: HTTP errors through core's
 * `classifyHttpError` (retry-after honoured), network failures to `connection`, garbage to `invalid_response`.
 */
export function mapOpenAIError(error: unknown, who: { provider: string; model: string }): LlmuxError {
  if (isLlmuxError(error)) return error;
  const { provider, model } = who;
  if (error instanceof APIUserAbortError) {
    return new LlmuxError({
      kind: "aborted",
      message: `${provider} (${model}) was aborted`,
      provider,
      model,
      cause: error,
    });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new LlmuxError({
      kind: "timeout",
      message: `${provider} (${model}) timed out`,
      provider,
      model,
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    return new LlmuxError({
      kind: "connection",
      message: `could not reach ${provider} (${model}): ${error.message}${findConnectionErrorCode(error) ? ` (${findConnectionErrorCode(error)})` : ""}`,
      provider,
      model,
      cause: error,
    });
  }
  if (error instanceof APIError) {
    // An error event inside a 200 stream has no HTTP status; the body may carry one (Groq: status_code).
    const inner = error.error as Record<string, unknown> | undefined;
    const status =
      error.status ?? (typeof inner?.status_code === "number" ? inner.status_code : undefined) ?? 500;
    return classifyHttpError({
      status,
      headers: error.headers,
      body: inner ? { error: inner } : error.message,
      provider,
      model,
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new LlmuxError({
      kind: "invalid_response",
      message: `${provider} (${model}) sent a response that is not valid JSON: ${error.message}`,
      provider,
      model,
      cause: error,
    });
  }
  const code = findConnectionErrorCode(error);
  if (code || (error instanceof TypeError && /terminated|fetch failed|socket/i.test(error.message))) {
    return new LlmuxError({
      kind: "connection",
      message: `connection to ${provider} (${model}) failed${code ? ` (${code})` : ""}: ${(error as Error).message}`,
      provider,
      model,
      cause: error,
    });
  }
  return new LlmuxError({
    kind: "invalid_response",
    message: `${provider} (${model}) failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
    provider,
    model,
    cause: error,
  });
}
