export const ERROR_KINDS = [
  "auth",
  "permission",
  "not_found",
  "bad_request",
  "context_window",
  "content_policy",
  "rate_limit",
  "timeout",
  "connection",
  "server",
  "invalid_response",
  "aborted",
] as const;

/** What went wrong, as data. Callers (router, gateway, tool loop) branch on this, never on message text. */
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Kinds worth trying again on the same deployment. */
const RETRYABLE_KINDS: ReadonlySet<ErrorKind> = new Set(["rate_limit", "timeout", "connection", "server"]);

/** Kinds that are the caller's fault: another model would fail the same way. */
const CALLER_KINDS: ReadonlySet<ErrorKind> = new Set([
  "auth",
  "permission",
  "bad_request",
  "not_found",
  "aborted",
]);

export interface LlmuxErrorOptions {
  kind: ErrorKind;
  message: string;
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  provider?: string;
  model?: string;
  /** Provider's own error code/type, e.g. `"insufficient_quota"`, `"overloaded_error"`. */
  code?: string;
  /** The request field at fault, when known (e.g. `"messages[2].content"`). */
  param?: string;
  cause?: unknown;
}

const MARKER = Symbol.for("llmux.error");

/**
 * The one error type every llmux package throws. `kind` says what happened, `retryable` whether the
 * same call may succeed later, `retryAfterMs` when. Messages never contain secrets.
 */
export class LlmuxError extends Error {
  readonly kind: ErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly code: string | undefined;
  readonly param: string | undefined;
  readonly [MARKER] = true;

  constructor(options: LlmuxErrorOptions) {
    super(redactSecrets(options.message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LlmuxError";
    this.kind = options.kind;
    this.status = options.status;
    this.retryable = options.retryable ?? RETRYABLE_KINDS.has(options.kind);
    this.retryAfterMs = options.retryAfterMs;
    this.provider = options.provider;
    this.model = options.model;
    this.code = options.code;
    this.param = options.param;
  }

  /** True for errors that are the caller's fault (bad request, auth…): no fallback will help. */
  get isCallerError(): boolean {
    return CALLER_KINDS.has(this.kind);
  }

  /** A plain object safe to log or return to clients. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      status: this.status,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      provider: this.provider,
      model: this.model,
      code: this.code,
      param: this.param,
    };
  }
}

/** Works across package copies (ESM and CJS builds, duplicated installs) where `instanceof` does not. */
export function isLlmuxError(value: unknown): value is LlmuxError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
}

/** Whether an error kind is the caller's fault (no retry, no fallback). */
export function isCallerErrorKind(kind: ErrorKind): boolean {
  return CALLER_KINDS.has(kind);
}

// Credentials that are secret as a whole, wherever they appear.
const SECRET_TOKENS: RegExp[] = [
  /\bsk-(?:ant-|proj-|or-)?[A-Za-z0-9_-]{8,}/g, // OpenAI, Anthropic, OpenRouter keys
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\b(?:gsk_|xai-|hf_)[A-Za-z0-9_-]{8,}/g, // Groq, xAI, Hugging Face
  /\bAIza[0-9A-Za-z_-]{20,}/g, // Google API keys
];
// Values after a label that says they are secret; the label is kept.
const LABELLED_SECRETS: RegExp[] = [
  /(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /((?:api[_-]?key|x-api-key|access[_-]?token|token|secret|password|authorization)["']?\s*[:=]\s*["']?)[^\s"'&,}]{4,}/gi,
];

/** Replaces anything that looks like a credential with `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const pattern of SECRET_TOKENS) out = out.replace(pattern, "[redacted]");
  for (const pattern of LABELLED_SECRETS) out = out.replace(pattern, "$1[redacted]");
  return out;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads how long to wait before retrying: `retry-after-ms`, `retry-after` (seconds or HTTP date),
 * then hints in the body (`"retryDelay": "3s"`, "try again in 1.5s", "try again in 250ms").
 */
export function parseRetryAfter(
  headers?: HeaderSource,
  body?: string,
  now: number = Date.now(),
): number | undefined {
  const ms = header(headers, "retry-after-ms");
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const ra = header(headers, "retry-after");
  if (ra !== undefined) {
    const trimmed = ra.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (body) {
    const delay = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(body);
    if (delay?.[1]) return Math.round(Number(delay[1]) * 1000);
    const hint = /try again in\s+(\d+(?:\.\d+)?)\s*(ms|s|seconds?)\b/i.exec(body);
    if (hint?.[1]) return Math.round(Number(hint[1]) * (hint[2] === "ms" ? 1 : 1000));
  }
  return undefined;
}

const CONTEXT_WINDOW =
  /context[_ ]length[_ ]exceeded|maximum context length|context window|prompt is too long|too many tokens|input is too long|input too long|exceeds? the (?:maximum|context|model)|reduce the length|string_above_max_length|max_tokens.*exceed|token limit/i;
const CONTENT_POLICY =
  /content[_ ]policy|content management policy|content_filter|flagged|safety (?:system|filter)|responsible ai|moderation|prohibited content|blocked by/i;
const NOT_READY = /model.*(not ready|loading|is currently loading)|ModelNotReady/i;

export interface HttpErrorInput {
  status: number;
  /** Response body text (or parsed JSON). Used for the message and for classification. */
  body?: unknown;
  headers?: HeaderSource;
  provider?: string;
  model?: string;
  cause?: unknown;
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  try {
    return JSON.stringify(body);
  } catch {
    return String(body);
  }
}

/** Finds the provider's own message and code in the common error body shapes. */
function extractMessage(body: unknown): { message?: string; code?: string; param?: string } {
  let parsed = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return { message: body.trim().slice(0, 500) || undefined };
    }
  }
  if (typeof parsed !== "object" || parsed === null) return {};
  const obj = parsed as Record<string, unknown>;
  const inner = (typeof obj.error === "object" && obj.error !== null ? obj.error : obj) as Record<
    string,
    unknown
  >;
  const message =
    typeof inner.message === "string"
      ? inner.message
      : typeof obj.error === "string"
        ? obj.error
        : typeof obj.message === "string"
          ? obj.message
          : typeof obj.Message === "string"
            ? obj.Message
            : undefined;
  const codeValue = inner.code ?? inner.type ?? inner.status ?? obj.__type ?? obj.code;
  const code =
    typeof codeValue === "string" ? codeValue : typeof codeValue === "number" ? String(codeValue) : undefined;
  const param = typeof inner.param === "string" ? inner.param : undefined;
  return { message, code, param };
}

/**
 * Turns an HTTP error response into an `LlmuxError` with the right kind.
 *
 * @example
 * throw classifyHttpError({ status: 429, headers: res.headers, body: await res.text(), provider: "openai" });
 */
export function classifyHttpError(input: HttpErrorInput): LlmuxError {
  const { status, provider, model, cause } = input;
  const text = bodyText(input.body);
  const { message, code, param } = extractMessage(input.body);
  const evidence = `${code ?? ""} ${message ?? text}`;
  let kind: ErrorKind;
  let retryable: boolean | undefined;
  if (status === 401) kind = "auth";
  else if (status === 403) kind = CONTENT_POLICY.test(evidence) ? "content_policy" : "permission";
  else if (status === 404) kind = NOT_READY.test(evidence) ? "server" : "not_found";
  else if (status === 408) kind = "timeout";
  else if (status === 429) {
    kind = "rate_limit";
    // Out of credit is not cured by waiting.
    if (/insufficient_quota|billing|credit balance/i.test(evidence)) retryable = false;
  } else if (status === 413) kind = CONTEXT_WINDOW.test(evidence) ? "context_window" : "bad_request";
  else if (status >= 400 && status < 500) {
    if (CONTEXT_WINDOW.test(evidence)) kind = "context_window";
    else if (CONTENT_POLICY.test(evidence)) kind = "content_policy";
    else if (/throttl/i.test(evidence)) kind = "rate_limit";
    else if (NOT_READY.test(evidence)) kind = "server";
    else kind = "bad_request";
  } else if (status === 504) kind = "timeout";
  else if (status >= 500) kind = "server";
  else kind = "invalid_response";
  const who = provider ? `${provider}${model ? ` (${model})` : ""}` : "provider";
  const detail = message ?? (text ? text.slice(0, 500) : "no error body");
  return new LlmuxError({
    kind,
    status,
    retryable,
    retryAfterMs: parseRetryAfter(input.headers, text),
    provider,
    model,
    code,
    param,
    cause,
    message: `${who} returned HTTP ${status}: ${detail}`,
  });
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/** Finds a Node network error code (`ECONNREFUSED`…) anywhere in a cause chain. */
export function findConnectionErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (typeof current === "object" && current !== null) {
      const code = (current as { code?: unknown }).code;
      if (typeof code === "string" && CONNECTION_CODES.has(code)) return code;
      current = (current as { cause?: unknown }).cause;
    } else break;
  }
  return undefined;
}
