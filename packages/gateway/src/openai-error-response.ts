import { type ErrorKind, isLlmuxError, LlmuxError, redactSecrets } from "@llmux/core";

/** OpenAI's error body: what every OpenAI SDK knows how to read. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const BY_KIND: Record<ErrorKind, { status: number; type: string; code?: string }> = {
  bad_request: { status: 400, type: "invalid_request_error" },
  context_window: { status: 400, type: "invalid_request_error", code: "context_length_exceeded" },
  content_policy: { status: 400, type: "invalid_request_error", code: "content_policy_violation" },
  auth: { status: 401, type: "authentication_error", code: "invalid_api_key" },
  permission: { status: 403, type: "permission_error" },
  not_found: { status: 404, type: "invalid_request_error", code: "model_not_found" },
  rate_limit: { status: 429, type: "rate_limit_error", code: "rate_limit_exceeded" },
  timeout: { status: 504, type: "timeout_error", code: "timeout" },
  connection: { status: 502, type: "api_error", code: "upstream_connection_error" },
  server: { status: 502, type: "api_error", code: "upstream_error" },
  invalid_response: { status: 502, type: "api_error", code: "invalid_upstream_response" },
  aborted: { status: 499, type: "invalid_request_error", code: "client_closed_request" },
};

export interface ErrorResponse {
  status: number;
  body: OpenAIErrorBody;
  headers: Record<string, string>;
}

/** Any error → status, OpenAI error body and headers (`retry-after` for rate limits). Never leaks secrets. */
export function toErrorResponse(error: unknown): ErrorResponse {
  const err = isLlmuxError(error)
    ? error
    : new LlmuxError({ kind: "server", message: "internal error", cause: error });
  const map = BY_KIND[err.kind];
  // Upstream auth/permission failures are the gateway's own configuration problem, not the client's.
  const upstreamAuth =
    (err.kind === "auth" || err.kind === "permission") &&
    err.provider !== undefined &&
    err.provider !== "gateway";
  const status = upstreamAuth ? 502 : map.status === 502 && err.status === 503 ? 503 : map.status;
  const headers: Record<string, string> = {};
  if (err.retryAfterMs !== undefined)
    headers["retry-after"] = String(Math.max(1, Math.ceil(err.retryAfterMs / 1000)));
  return {
    status,
    headers,
    body: {
      error: {
        message: redactSecrets(
          upstreamAuth ? `the gateway's upstream credentials were rejected (${err.provider})` : err.message,
        ),
        type: upstreamAuth ? "api_error" : map.type,
        param: err.param ?? null,
        code: err.code && err.kind !== "not_found" ? err.code : (map.code ?? null),
      },
    },
  };
}

/** A gateway-side client error (bad body, unknown model, missing key). */
export function clientError(kind: ErrorKind, message: string, param?: string, code?: string): LlmuxError {
  return new LlmuxError({ kind, message, param, code, provider: "gateway" });
}
