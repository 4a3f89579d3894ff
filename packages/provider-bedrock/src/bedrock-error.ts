import {
  classifyHttpError,
  type ErrorKind,
  findConnectionErrorCode,
  isLlmuxError,
  LlmuxError,
} from "@llmux/core";

// Bedrock exception names (the `x-amzn-errortype` / `:exception-type`) and what they mean.
const KIND_BY_NAME: Record<string, ErrorKind> = {
  ThrottlingException: "rate_limit",
  ServiceQuotaExceededException: "rate_limit",
  ModelNotReadyException: "server",
  ServiceUnavailableException: "server",
  InternalServerException: "server",
  ModelErrorException: "server",
  ModelStreamErrorException: "server",
  ModelTimeoutException: "timeout",
  AccessDeniedException: "permission",
  UnrecognizedClientException: "auth",
  InvalidSignatureException: "auth",
  ExpiredTokenException: "auth",
  IncompleteSignatureException: "auth",
  MissingAuthenticationTokenException: "auth",
  CredentialsProviderError: "auth",
  ResourceNotFoundException: "not_found",
};

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string> };
  $retryable?: { throttling?: boolean };
}

/** Turns anything the Bedrock SDK throws into an `LlmuxError` (throttling, validation, model not ready…). */
export function mapBedrockError(error: unknown, who: { model: string; endpoint: string }): LlmuxError {
  if (isLlmuxError(error)) return error;
  const provider = "bedrock";
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? "";
  const message = e.message ?? String(error);
  const status = e.$metadata?.httpStatusCode;
  const connection = findConnectionErrorCode(error);
  if (connection) {
    return new LlmuxError({
      kind: "connection",
      provider,
      model: who.model,
      code: connection,
      cause: error,
      message: `bedrock (${who.model}): could not connect to ${who.endpoint} (${connection})`,
    });
  }
  if (name === "CredentialsProviderError") {
    return new LlmuxError({
      kind: "auth",
      provider,
      model: who.model,
      code: name,
      cause: error,
      message: `bedrock (${who.model}): no AWS credentials found (${message}); set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile or SSO, or pass createBedrock({ credentials })`,
    });
  }
  if (name === "TimeoutError" || name === "RequestTimeout") {
    return new LlmuxError({
      kind: "timeout",
      provider,
      model: who.model,
      cause: error,
      message: `bedrock (${who.model}) timed out: ${message}`,
    });
  }
  if (name === "ValidationException") {
    // Validation covers both the caller's mistakes and an oversized prompt: let the message decide.
    const mapped = classifyHttpError({
      status: 400,
      body: { message },
      provider,
      model: who.model,
      cause: error,
    });
    return new LlmuxError({ ...fieldsOf(mapped), code: name });
  }
  const kind = KIND_BY_NAME[name];
  if (kind) {
    const headers = e.$response?.headers;
    const mapped = classifyHttpError({
      status: status ?? 500,
      body: { message },
      headers,
      provider,
      model: who.model,
      cause: error,
    });
    return new LlmuxError({
      ...fieldsOf(mapped),
      kind,
      code: name,
      retryable: undefined,
      message: `bedrock (${who.model}) ${name}${status ? ` (HTTP ${status})` : ""}: ${message}`,
    });
  }
  if (typeof status === "number" && status >= 400) {
    const mapped = classifyHttpError({ status, body: { message }, provider, model: who.model, cause: error });
    return new LlmuxError({ ...fieldsOf(mapped), code: name || mapped.code });
  }
  if (error instanceof SyntaxError || /Deserialization|Unexpected token|JSON/i.test(message)) {
    return new LlmuxError({
      kind: "invalid_response",
      provider,
      model: who.model,
      cause: error,
      message: `bedrock (${who.model}) sent a response that could not be read: ${message}`,
    });
  }
  return new LlmuxError({
    kind: "invalid_response",
    provider,
    model: who.model,
    cause: error,
    message: `bedrock (${who.model}) call failed: ${name ? `${name}: ` : ""}${message}`,
  });
}

function fieldsOf(e: LlmuxError) {
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
