import { classifyHttpError, findConnectionErrorCode, isLlmuxError, LlmuxError } from "@llmux/core";

/** Turns anything the `ollama` SDK throws into an `LlmuxError`; a refused connection says Ollama is not running. */
export function mapOllamaError(
  error: unknown,
  who: { model: string; host: string },
  headers?: Headers,
): LlmuxError {
  if (isLlmuxError(error)) return error;
  const provider = "ollama";
  const connectionCode = findConnectionErrorCode(error);
  if (connectionCode) {
    return new LlmuxError({
      kind: "connection",
      provider,
      model: who.model,
      code: connectionCode,
      cause: error,
      message:
        connectionCode === "ECONNREFUSED"
          ? `Ollama is not running at ${who.host} (connection refused); start it with \`ollama serve\` or set OLLAMA_HOST`
          : `could not reach Ollama at ${who.host} (${connectionCode})`,
    });
  }
  const e = error as { name?: string; status_code?: unknown; error?: unknown; message?: string };
  if (e?.name === "ResponseError" && typeof e.status_code === "number") {
    return classifyHttpError({
      status: e.status_code,
      body: { error: typeof e.error === "string" ? e.error : e.message },
      headers,
      provider,
      model: who.model,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/Did not receive done/i.test(message)) {
    return new LlmuxError({
      kind: "invalid_response",
      provider,
      model: who.model,
      cause: error,
      message: `ollama (${who.model}) stream ended before the final "done" line: it was cut`,
    });
  }
  if (error instanceof TypeError && /fetch failed|terminated|socket/i.test(message)) {
    return new LlmuxError({
      kind: "connection",
      provider,
      model: who.model,
      cause: error,
      message: `ollama (${who.model}) at ${who.host}: connection failed: ${message}`,
    });
  }
  if (error instanceof SyntaxError) {
    return new LlmuxError({
      kind: "invalid_response",
      provider,
      model: who.model,
      cause: error,
      message: `ollama (${who.model}) returned a body that is not valid JSON`,
    });
  }
  // A `{"error": …}` line inside a 200 stream: the model failed while running.
  return new LlmuxError({
    kind: "server",
    provider,
    model: who.model,
    cause: error,
    message: `ollama (${who.model}) failed: ${message}`,
  });
}
