import {
  type AssistantMessage,
  addUsage,
  type CallOptions,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type ChatResult,
  contentToText,
  isLlmuxError,
  LlmuxError,
  type ToolCall,
  type ToolMessage,
  type Usage,
} from "@llmux/core";
import type { ToolExecutor } from "./mcp-toolset.js";

export interface ToolLoopOptions {
  model: ChatModel;
  /** The conversation so far (not modified; the result holds the extended copy). */
  messages: ChatMessage[];
  toolset: ToolExecutor;
  /** Most model calls in the loop (default 10). */
  maxSteps?: number;
  /** Run a step's tool calls at the same time (default true). `false` also asks the model for one call at a time. */
  parallelToolCalls?: boolean;
  signal?: AbortSignal;
  /** Other request fields (temperature, tool_choice, model group…). A forcing `tool_choice` applies to the first step only. */
  request?: Omit<ChatRequest, "messages" | "tools">;
  /** Call options for every model call (headers, timeoutMs, metadata). */
  callOptions?: Omit<CallOptions, "signal">;
  /** Per tool call (default: the toolset's). */
  toolTimeoutMs?: number;
}

export interface ToolLoopStep {
  /** 1-based. */
  step: number;
  result: ChatResult;
  /** The assistant message of this step. */
  message: AssistantMessage;
  toolCalls: ToolCall[];
  /** Tool messages, in the order of `toolCalls`. */
  toolResults: ToolMessage[];
  usage: Usage | undefined;
}

export interface RunToolLoopOptions extends ToolLoopOptions {
  /** Called after each step (its tool results included). */
  onStep?: (step: ToolLoopStep) => void | Promise<void>;
}

export type ToolLoopStopReason = "answer" | "max_steps";

export interface ToolLoopResult {
  /** The whole conversation: the input messages, then each step's assistant and tool messages. */
  messages: ChatMessage[];
  /** The last model result. */
  result: ChatResult;
  /** The final answer's text (`""` when the loop stopped at the step limit without one). */
  text: string;
  steps: ToolLoopStep[];
  /** `"answer"`: the model answered without tool calls; `"max_steps"`: the step limit stopped it. */
  stoppedBy: ToolLoopStopReason;
  /** Usage summed over every step. */
  usage: Usage | undefined;
}

export const DEFAULT_MAX_STEPS = 10;

export function checkLoopOptions(options: ToolLoopOptions): number {
  if (typeof options !== "object" || options === null) {
    throw new LlmuxError({
      kind: "bad_request",
      param: "options",
      message: "runToolLoop needs { model, messages, toolset }",
    });
  }
  if (typeof options.model?.chat !== "function" || typeof options.model?.stream !== "function") {
    throw new LlmuxError({
      kind: "bad_request",
      param: "model",
      message: "model must be a ChatModel (chat and stream methods)",
    });
  }
  if (!Array.isArray(options.messages)) {
    throw new LlmuxError({
      kind: "bad_request",
      param: "messages",
      message: "messages must be an array of chat messages",
    });
  }
  if (typeof options.toolset?.call !== "function" || typeof options.toolset?.tools !== "function") {
    throw new LlmuxError({
      kind: "bad_request",
      param: "toolset",
      message: "toolset must be an McpToolset (or an object with tools() and call())",
    });
  }
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new LlmuxError({
      kind: "bad_request",
      param: "maxSteps",
      message: `maxSteps must be a positive integer, got ${String(options.maxSteps)}`,
    });
  }
  return maxSteps;
}

export function loopAborted(signal: AbortSignal | undefined, cause?: unknown): LlmuxError {
  return new LlmuxError({
    kind: "aborted",
    message: "the tool loop was aborted by the caller",
    cause: cause ?? signal?.reason,
  });
}

/** The request for one step (a forcing tool_choice only on the first step, or the loop would never end). */
export function stepRequest(options: ToolLoopOptions, messages: ChatMessage[], step: number): ChatRequest {
  const request: ChatRequest = { ...(options.request ?? {}), messages: [...messages] };
  const tools = options.toolset.tools("openai");
  if (tools.length > 0) request.tools = tools;
  if (options.parallelToolCalls === false && tools.length > 0) request.parallel_tool_calls = false;
  const choice = request.tool_choice;
  if (step > 1 && (choice === "required" || (typeof choice === "object" && choice !== null)))
    request.tool_choice = "auto";
  if (tools.length === 0) delete request.tool_choice;
  return request;
}

/** Runs a step's tool calls (at once, or one by one), returning messages in call order. */
export async function executeToolCalls(
  options: ToolLoopOptions,
  calls: ToolCall[],
  onResult?: (call: ToolCall, message: ToolMessage) => void,
): Promise<ToolMessage[]> {
  const run = async (call: ToolCall): Promise<ToolMessage> => {
    const message = await options.toolset.call(call, {
      signal: options.signal,
      timeoutMs: options.toolTimeoutMs,
    });
    onResult?.(call, message);
    return message;
  };
  try {
    if (options.parallelToolCalls === false) {
      const out: ToolMessage[] = [];
      for (const call of calls) {
        if (options.signal?.aborted) throw loopAborted(options.signal);
        out.push(await run(call));
      }
      return out;
    }
    return await Promise.all(calls.map(run));
  } catch (error) {
    if (options.signal?.aborted)
      throw isLlmuxError(error) && error.kind === "aborted" ? error : loopAborted(options.signal, error);
    throw error;
  }
}

/** The assistant message to append to the history (only the fields a provider accepts back). */
export function assistantMessageOf(result: ChatResult): AssistantMessage {
  const choice = result.choices[0];
  if (!choice) {
    throw new LlmuxError({ kind: "invalid_response", message: "the model returned no choices" });
  }
  const { message } = choice;
  const out: AssistantMessage = { role: "assistant", content: message.content ?? null };
  if (message.tool_calls && message.tool_calls.length > 0) out.tool_calls = message.tool_calls;
  if (message.reasoning_content) out.reasoning_content = message.reasoning_content;
  // Signed reasoning (Anthropic extended thinking) must come back with a turn that called tools.
  if (message.thinking_blocks && message.thinking_blocks.length > 0)
    out.thinking_blocks = message.thinking_blocks;
  return out;
}

/**
 * Asks the model, executes every tool call it makes through the toolset (in parallel when allowed),
 * appends the results with the right ids, and repeats until the model answers or `maxSteps` is reached.
 *
 * @example
 * const { text, stoppedBy, usage } = await runToolLoop({ model, messages, toolset, maxSteps: 5 });
 */
export async function runToolLoop(options: RunToolLoopOptions): Promise<ToolLoopResult> {
  const maxSteps = checkLoopOptions(options);
  const messages: ChatMessage[] = [...options.messages];
  const steps: ToolLoopStep[] = [];
  let usage: Usage | undefined;
  for (let step = 1; ; step++) {
    if (options.signal?.aborted) throw loopAborted(options.signal);
    let result: ChatResult;
    try {
      result = await options.model.chat(stepRequest(options, messages, step), {
        ...options.callOptions,
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted && !(isLlmuxError(error) && error.kind === "aborted"))
        throw loopAborted(options.signal, error);
      throw error;
    }
    usage = addUsage(usage, result.usage);
    const message = assistantMessageOf(result);
    messages.push(message);
    const toolCalls = message.tool_calls ?? [];
    const toolResults = toolCalls.length > 0 ? await executeToolCalls(options, toolCalls) : [];
    messages.push(...toolResults);
    const record: ToolLoopStep = { step, result, message, toolCalls, toolResults, usage: result.usage };
    steps.push(record);
    await options.onStep?.(record);
    if (toolCalls.length === 0) {
      return { messages, result, text: contentToText(message.content), steps, stoppedBy: "answer", usage };
    }
    if (step >= maxSteps) {
      return { messages, result, text: "", steps, stoppedBy: "max_steps", usage };
    }
  }
}
