// A ChatModel for router tests: answers or fails per call as scripted, and records what it was sent.
import {
  type CallOptions,
  type ChatChunk,
  type ChatModel,
  type ChatRequest,
  type ChatResult,
  LlmuxError,
  resultToChunks,
} from "@llmux/core";

export type Step = "ok" | LlmuxError | { text: string } | { delayMs: number } | "cut-after-first-chunk";

export interface RecordingModel extends ChatModel {
  requests: ChatRequest[];
}

export function answer(model: string, text: string): ChatResult {
  return {
    id: `r-${model}`,
    object: "chat.completion",
    created: 0,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 },
  };
}

export function fail(
  kind: LlmuxError["kind"],
  extra: { retryAfterMs?: number; status?: number } = {},
): LlmuxError {
  return new LlmuxError({ kind, message: `${kind} from upstream`, ...extra });
}

/** Steps are consumed per call; the last one repeats. */
export function recordingModel(id: string, steps: Step[] = ["ok"]): RecordingModel {
  const requests: ChatRequest[] = [];
  let call = 0;
  const next = async (req: ChatRequest, opts: CallOptions = {}): Promise<ChatResult | "cut"> => {
    requests.push(req);
    const step = steps[Math.min(call++, steps.length - 1)]!;
    if (step instanceof LlmuxError) throw step;
    if (step === "cut-after-first-chunk") return "cut";
    if (typeof step === "object" && "delayMs" in step) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, step.delayMs);
        opts.signal?.addEventListener("abort", () => {
          clearTimeout(t);
          reject(new LlmuxError({ kind: "aborted", message: "aborted" }));
        });
      });
      return answer(id, `${id} (slow)`);
    }
    const last = req.messages[req.messages.length - 1];
    const echo = typeof last?.content === "string" ? last.content : "";
    return answer(id, typeof step === "object" ? step.text : `${id} says: ${echo}`);
  };
  return {
    id,
    requests,
    async chat(req, opts) {
      const r = await next(req, opts);
      if (r === "cut") throw fail("invalid_response");
      return r;
    },
    async *stream(req, opts): AsyncIterable<ChatChunk> {
      const r = await next(req, opts);
      if (r === "cut") {
        yield resultToChunks(answer(id, "partial"))[0]!;
        throw fail("connection");
      }
      yield* resultToChunks(r);
    },
  };
}
