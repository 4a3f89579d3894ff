import { describe, expect, it } from "vitest";
import {
  classifyHttpError,
  ERROR_KINDS,
  isLlmuxError,
  LlmuxError,
  parseRetryAfter,
  redactSecrets,
} from "./index.js";
import { fixtureText } from "./test-fixtures.js";

describe("classifyHttpError", () => {
  it("maps OpenAI's insufficient_quota 429 to a rate_limit that waiting will not cure", () => {
    const err = classifyHttpError({
      status: 429,
      body: fixtureText("openai-error-insufficient-quota.json"),
      provider: "openai",
    });
    expect(err.kind).toBe("rate_limit");
    expect(err.retryable).toBe(false);
    expect(err.code).toBe("insufficient_quota");
    expect(err.message).toMatch(/^openai returned HTTP 429: /);
  });

  it("maps an unsupported parameter 400 to bad_request naming the parameter", () => {
    const err = classifyHttpError({
      status: 400,
      body: fixtureText("openai-error-unsupported-parameter.json"),
      provider: "openai",
    });
    expect(err.kind).toBe("bad_request");
    expect(err.param).toBe("max_tokens");
    expect(err.isCallerError).toBe(true);
    expect(err.retryable).toBe(false);
  });

  it("reads Gemini's RetryInfo retryDelay from the body", () => {
    const body = fixtureText("gemini-error-429-resource-exhausted.json");
    const err = classifyHttpError({ status: 429, body, provider: "gemini" });
    expect(err.kind).toBe("rate_limit");
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBeGreaterThan(0);
  });

  it("maps Bedrock's plain {message} 400 to bad_request with the message", () => {
    const err = classifyHttpError({
      status: 400,
      body: JSON.parse(fixtureText("bedrock-error-400-invalid-model.json")),
      provider: "bedrock",
    });
    expect(err.kind).toBe("bad_request");
    expect(err.message).toContain("The provided model identifier is invalid.");
  });

  it.each([
    [
      400,
      {
        error: {
          message: "This model's maximum context length is 128000 tokens",
          code: "context_length_exceeded",
        },
      },
      "context_window",
    ],
    [
      400,
      {
        type: "error",
        error: {
          type: "invalid_request_error",
          message: "prompt is too long: 210000 tokens > 200000 maximum",
        },
      },
      "context_window",
    ],
    [
      400,
      {
        error: {
          message: "Your request was rejected as a result of our safety system",
          code: "content_policy_violation",
        },
      },
      "content_policy",
    ],
    [529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }, "server"],
    [401, { error: { message: "Incorrect API key provided" } }, "auth"],
    [403, { error: { message: "not allowed" } }, "permission"],
    [404, { error: { message: "model not found" } }, "not_found"],
    [503, "upstream connect error", "server"],
    [504, "", "timeout"],
    [400, { message: "Too many requests, please wait", __type: "ThrottlingException" }, "rate_limit"],
  ] as const)("HTTP %i %j → %s", (status, body, kind) => {
    const err = classifyHttpError({ status, body });
    expect(err.kind).toBe(kind);
    expect(ERROR_KINDS).toContain(err.kind);
  });

  it("marks server, timeout, connection and rate_limit retryable, caller errors not", () => {
    expect(classifyHttpError({ status: 500 }).retryable).toBe(true);
    expect(classifyHttpError({ status: 400 }).retryable).toBe(false);
    expect(classifyHttpError({ status: 401 }).isCallerError).toBe(true);
    expect(classifyHttpError({ status: 503 }).isCallerError).toBe(false);
  });

  it("takes retry-after from headers (seconds, HTTP date, retry-after-ms)", () => {
    expect(classifyHttpError({ status: 429, headers: { "Retry-After": "7" } }).retryAfterMs).toBe(7000);
    expect(
      classifyHttpError({ status: 429, headers: new Headers({ "retry-after-ms": "250" }) }).retryAfterMs,
    ).toBe(250);
    const now = Date.parse("2026-11-25T10:00:00Z");
    expect(parseRetryAfter({ "retry-after": "Wed, 25 Nov 2026 10:00:30 GMT" }, undefined, now)).toBe(30_000);
    expect(parseRetryAfter(undefined, "Rate limit reached. Please try again in 1.5s.")).toBe(1500);
    expect(parseRetryAfter({ "retry-after": "soon" })).toBeUndefined();
  });

  it("never echoes a credential found in the provider's message", () => {
    const err = classifyHttpError({
      status: 401,
      body: {
        error: {
          message:
            "Incorrect API key provided: sk-proj-abcdefghijklmnop1234. Authorization: Bearer abcdefghijk123",
        },
      },
    });
    expect(err.message).not.toContain("sk-proj-abcdefghijklmnop1234");
    expect(err.message).not.toContain("abcdefghijk123");
    expect(JSON.stringify(err.toJSON())).not.toContain("abcdefghijklmnop");
  });
});

describe("LlmuxError", () => {
  it("is recognised across copies by its marker, and carries its cause", () => {
    const cause = new Error("socket hang up");
    const err = new LlmuxError({ kind: "connection", message: "lost", cause });
    expect(isLlmuxError(err)).toBe(true);
    expect(isLlmuxError(new Error("x"))).toBe(false);
    expect(isLlmuxError({ kind: "connection" })).toBe(false);
    expect(err.cause).toBe(cause);
    expect(err.retryable).toBe(true);
  });

  it("redacts AWS keys, API keys and labelled secrets", () => {
    const text = redactSecrets(
      "key AKIAABCDEFGHIJKLMNOP and x-api-key: sk-ant-api03-secretsecret and password=hunter22",
    );
    expect(text).toBe("key [redacted] and x-api-key: [redacted] and password=[redacted]");
  });
});
