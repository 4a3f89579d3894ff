import {
  addUsage,
  type ChatMessage,
  type ChatResult,
  contentToText,
  type FinishReason,
  isLlmuxError,
  StreamAccumulator,
  type ToolCall,
  type ToolMessage,
  type Usage,
} from "@llmux/core";
import {
  assistantMessageOf,
  checkLoopOptions,
  loopAborted,
  stepRequest,
  type ToolLoopOptions,
  type ToolLoopResult,
  type ToolLoopStep,
} from "./run-tool-loop.js";

async function* settleInOrderOfCompletion(
  options: ToolLoopOptions,
  calls: ToolCall[],
): AsyncGenerator<{ index: number; message: ToolMessage }, void, undefined> {
  const callOptions = { signal: options.signal, timeoutMs: options.toolTimeoutMs };
  if (options.parallelToolCalls === false) {
    for (let index = 0; index < calls.length; index++) {
      if (options.signal?.aborted) throw loopAborted(options.signal);
      yield { index, message: await options.toolset.call(calls[index]!, callOptions) };
    }
    return;
  }
  const pending = new Map<number, Promise<{ index: number; message: ToolMessage }>>();
  calls.forEach((call, index) => {
    pending.set(
      index,
      options.toolset.call(call, callOptions).then((message) => ({ index, message })),
    );
  });
  while (pending.size > 0) {
    const settled = await Promise.race(pending.values());
    pending.delete(settled.index);
    yield settled;
  }
}

/** What `streamToolLoop` yields. */
export type ToolLoopEvent =
  | { type: "step-start"; step: number }
  | { type: "text-delta"; step: number; text: string }
  | { type: "reasoning-delta"; step: number; text: string }
  | { type: "tool-call"; step: number; toolCall: ToolCall }
  | { type: "tool-result"; step: number; toolCall: ToolCall; message: ToolMessage }
  | {
      type: "step-finish";
      step: number;
      finishReason: FinishReason;
      toolCalls: ToolCall[];
      usage: Usage | undefined;
    }
  | ({ type: "finish" } & ToolLoopResult);

/**
 * The tool loop over streaming model calls: yields text deltas as they arrive, each tool call once its
 * arguments are complete, each tool result, a `step-finish` per model call and a final `finish` with the
 * same fields `runToolLoop` returns.
 *
 * @example
 * for await (const event of streamToolLoop({ model, messages, toolset })) {
 *   if (event.type === "text-delta") process.stdout.write(event.text);
 * }
 */
export async function* streamToolLoop(
  options: ToolLoopOptions,
): AsyncGenerator<ToolLoopEvent, void, undefined> {
  const maxSteps = checkLoopOptions(options);
  const messages: ChatMessage[] = [...options.messages];
  const steps: ToolLoopStep[] = [];
  let usage: Usage | undefined;
  for (let step = 1; ; step++) {
    if (options.signal?.aborted) throw loopAborted(options.signal);
    yield { type: "step-start", step };
    const accumulator = new StreamAccumulator();
    try {
      for await (const chunk of options.model.stream(stepRequest(options, messages, step), {
        ...options.callOptions,
        signal: options.signal,
      })) {
        accumulator.push(chunk);
        const delta = chunk.choices.find((c) => c.index === 0)?.delta;
        if (typeof delta?.content === "string" && delta.content !== "")
          yield { type: "text-delta", step, text: delta.content };
        if (typeof delta?.reasoning_content === "string" && delta.reasoning_content !== "") {
          yield { type: "reasoning-delta", step, text: delta.reasoning_content };
        }
        if (options.signal?.aborted) throw loopAborted(options.signal);
      }
    } catch (error) {
      if (options.signal?.aborted && !(isLlmuxError(error) && error.kind === "aborted"))
        throw loopAborted(options.signal, error);
      throw error;
    }
    const result: ChatResult = accumulator.result();
    usage = addUsage(usage, result.usage);
    const message = assistantMessageOf(result);
    messages.push(message);
    const toolCalls = message.tool_calls ?? [];
    for (const toolCall of toolCalls) yield { type: "tool-call", step, toolCall };
    // Results are yielded as each call finishes; the history keeps the calls' order.
    const toolResults: ToolMessage[] = new Array(toolCalls.length);
    try {
      for await (const { index, message: toolMessage } of settleInOrderOfCompletion(options, toolCalls)) {
        toolResults[index] = toolMessage;
        yield { type: "tool-result", step, toolCall: toolCalls[index]!, message: toolMessage };
      }
    } catch (error) {
      if (options.signal?.aborted)
        throw isLlmuxError(error) && error.kind === "aborted" ? error : loopAborted(options.signal, error);
      throw error;
    }
    messages.push(...toolResults);
    steps.push({ step, result, message, toolCalls, toolResults, usage: result.usage });
    yield {
      type: "step-finish",
      step,
      finishReason: result.choices[0]!.finish_reason,
      toolCalls,
      usage: result.usage,
    };
    if (toolCalls.length === 0) {
      yield {
        type: "finish",
        messages,
        result,
        text: contentToText(message.content),
        steps,
        stoppedBy: "answer",
        usage,
      };
      return;
    }
    if (step >= maxSteps) {
      yield { type: "finish", messages, result, text: "", steps, stoppedBy: "max_steps", usage };
      return;
    }
  }
}
