import type { CallOptions } from "./chat-model.js";
import { LlmuxError } from "./llmux-error.js";

export interface CallSignal {
  /** Aborts when the caller aborts or the timeout passes; undefined when neither was asked for. */
  signal: AbortSignal | undefined;
  /** Clears the timer. Call it when the call settles. */
  dispose(): void;
  /**
   * If the call ended because of the caller's signal or the timeout, the matching `LlmuxError`
   * (`aborted` or `timeout`); otherwise undefined, and the caller maps the error itself.
   */
  abortError(cause?: unknown): LlmuxError | undefined;
}

const NO_SIGNAL: CallSignal = { signal: undefined, dispose() {}, abortError: () => undefined };

function aborted(who: { provider?: string; model?: string }, cause: unknown): LlmuxError {
  return new LlmuxError({
    kind: "aborted",
    message: `${who.provider ?? "call"}${who.model ? ` (${who.model})` : ""} was aborted by the caller`,
    provider: who.provider,
    model: who.model,
    cause,
  });
}

/**
 * Combines `options.signal` and `options.timeoutMs` into one signal for an SDK call, and tells
 * afterwards which of them fired.
 *
 * @example
 * const call = createCallSignal(options, { provider: "openai", model });
 * try { return await sdk.create(body, { signal: call.signal }); }
 * catch (e) { throw call.abortError(e) ?? mapError(e); }
 * finally { call.dispose(); }
 */
export function createCallSignal(
  options: CallOptions = {},
  who: { provider?: string; model?: string } = {},
): CallSignal {
  const { signal: outer, timeoutMs } = options;
  if (timeoutMs === undefined) {
    // No timer to add: the caller's signal (if any) is the call's signal. No controller, no listener.
    return outer
      ? {
          signal: outer,
          dispose() {},
          abortError: (cause) => (outer.aborted ? aborted(who, cause) : undefined),
        }
      : NO_SIGNAL;
  }
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => controller.abort(outer?.reason);
  if (outer) {
    if (outer.aborted) controller.abort(outer.reason);
    else outer.addEventListener("abort", onAbort, { once: true });
  }
  if (timeoutMs !== undefined && !controller.signal.aborted) {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  }
  return {
    signal: controller.signal,
    dispose() {
      if (timer) clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    },
    abortError(cause) {
      if (timedOut) {
        return new LlmuxError({
          kind: "timeout",
          message: `${who.provider ?? "call"}${who.model ? ` (${who.model})` : ""} timed out after ${timeoutMs} ms`,
          provider: who.provider,
          model: who.model,
          cause,
        });
      }
      return outer?.aborted ? aborted(who, cause) : undefined;
    },
  };
}
