import { APIConnectionError, APIConnectionTimeoutError, APIError } from "@anthropic-ai/sdk";
import { classifyHttpError, isLlmuxError, LlmuxError } from "@llmux/core";

// Error types the API sends inside a stream (`event: error`), with the HTTP status they stand for.
const STREAM_ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

/** Turns anything the Anthropic SDK throws into an `LlmuxError` with the right kind. */
export function mapAnthropicError(error: unknown, who: { model: string; baseURL: string }): LlmuxError {
  if (isLlmuxError(error)) return error;
  const provider = "anthropic";
  if (error instanceof APIConnectionTimeoutError) {
    return new LlmuxError({
      kind: "timeout",
      provider,
      model: who.model,
      cause: error,
      message: `anthropic (${who.model}) request timed out`,
    });
  }
  if (error instanceof APIConnectionError) {
    return new LlmuxError({
      kind: "connection",
      provider,
      model: who.model,
      cause: error,
      message: `anthropic (${who.model}): could not connect to ${who.baseURL}: ${error.message}`,
    });
  }
  if (error instanceof APIError) {
    const body = error.error as unknown;
    const type = (body as { error?: { type?: unknown } } | undefined)?.error?.type;
    const status =
      typeof error.status === "number"
        ? error.status
        : typeof type === "string"
          ? (STREAM_ERROR_STATUS[type] ?? 500)
          : 500;
    const mapped = classifyHttpError({
      status,
      body: body ?? error.message,
      headers: error.headers ?? undefined,
      provider,
      model: who.model,
      cause: error,
    });
    // Anthropic's wording for blocked output ("content filtering policy") is not core's pattern.
    if (
      mapped.kind === "bad_request" &&
      /content filtering policy|blocked by .*polic/i.test(mapped.message)
    ) {
      return new LlmuxError({ ...fields(mapped), kind: "content_policy", retryable: undefined });
    }
    if (typeof error.status !== "number") {
      return new LlmuxError({ ...fields(mapped), message: `${mapped.message} (sent inside the stream)` });
    }
    return mapped;
  }
  if (error instanceof SyntaxError) {
    return new LlmuxError({
      kind: "invalid_response",
      provider,
      model: who.model,
      cause: error,
      message: `anthropic (${who.model}) sent a response that is not valid JSON: ${error.message}`,
    });
  }
  return new LlmuxError({
    kind: "invalid_response",
    provider,
    model: who.model,
    cause: error,
    message: `anthropic (${who.model}) call failed: ${error instanceof Error ? error.message : String(error)}`,
  });
}

function fields(e: LlmuxError) {
  return {
    kind: e.kind,
    message: e.message,
    status: e.status,
    retryable: e.retryable,
    retryAfterMs: e.retryAfterMs,
    provider: e.provider,
    model: e.model,
    code: e.code,
    param: e.param,
    cause: e.cause,
  };
}
