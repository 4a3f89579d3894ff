// The `simulated` provider: an honest offline stand-in for demos when no key or local model is
// present. It picks tools by matching the question against tool names, descriptions and parameters,
// fills arguments from what the question says (ids, amounts, priorities), and answers from tool
// results. Every answer is labelled, and the model id says `simulated/…`.
import {
  type CallOptions,
  type ChatChunk,
  type ChatModel,
  type ChatRequest,
  type ChatResult,
  type ChatTool,
  contentToText,
  createCallSignal,
  generateId,
  type JsonValue,
  LlmuxError,
  resultToChunks,
  type ToolCall,
  type Usage,
} from "@llmux/core";
import { planToolCalls } from "./simulated-planner.js";
import { summarizeToolResults } from "./simulated-summarizer.js";

/** Shown at the top of demo output whenever the simulated provider answers. */
export const SIMULATED_NOTICE = "simulated provider: offline stand-in, not a real model";

/** Every simulated answer starts with this label. */
export const SIMULATED_LABEL = "[simulated]";

export interface SimulatedModelOptions {
  /** Model name: the id is `simulated/<name>`. Default `"assistant"`. */
  name?: string;
  /** Pretend latency before answering, in ms (default 0). */
  latencyMs?: number;
  /** Fail every call (or the calls for which the function returns an error): for failover demos. */
  failWith?: LlmuxError | ((request: ChatRequest, call: number) => LlmuxError | undefined);
  /** Whether this stands in for a local (on-premises) model; informative, read by demos. */
  local?: boolean;
}

export interface SimulatedChatModel extends ChatModel {
  readonly local: boolean;
  /** How many calls this model has received. */
  readonly calls: number;
}

const estimateTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * An offline `ChatModel` good enough to run the article's questions through real MCP tools.
 *
 * @example
 * const model = createSimulatedModel({ name: "cloud-large" });
 * const result = await model.chat({ messages: [{ role: "user", content: "Get a list of recent customers" }], tools });
 */
export function createSimulatedModel(options: SimulatedModelOptions = {}): SimulatedChatModel {
  const name = options.name ?? "assistant";
  const id = `simulated/${name}`;
  let calls = 0;

  async function answer(request: ChatRequest, callOptions: CallOptions = {}): Promise<ChatResult> {
    const call = createCallSignal(callOptions, { provider: "simulated", model: name });
    try {
      calls++;
      if (!Array.isArray(request?.messages) || request.messages.length === 0) {
        throw new LlmuxError({
          kind: "bad_request",
          provider: "simulated",
          model: name,
          param: "messages",
          message: "simulated: `messages` must be a non-empty array",
        });
      }
      const failure =
        typeof options.failWith === "function" ? options.failWith(request, calls) : options.failWith;
      if (options.latencyMs) {
        try {
          await wait(options.latencyMs, call.signal);
        } catch (cause) {
          throw call.abortError(cause) ?? cause;
        }
      } else if (call.signal?.aborted) {
        throw call.abortError();
      }
      if (failure) throw failure;
      return respond(request);
    } finally {
      call.dispose();
    }
  }

  function respond(request: ChatRequest): ChatResult {
    const messages = request.messages;
    const last = messages[messages.length - 1]!;
    let text: string | null = null;
    let toolCalls: ToolCall[] | undefined;
    if (last.role === "tool") {
      text = `${SIMULATED_LABEL} ${summarizeToolResults(messages)}`;
    } else {
      const question = contentToText(last.content as string);
      const tools: ChatTool[] = request.tool_choice === "none" ? [] : (request.tools ?? []);
      const planned = planToolCalls(question, tools);
      if (planned.length > 0) {
        toolCalls = planned.map((p) => ({
          id: generateId("call"),
          type: "function" as const,
          function: { name: p.name, arguments: JSON.stringify(p.arguments as JsonValue) },
        }));
      } else if (
        request.response_format?.type === "json_object" ||
        request.response_format?.type === "json_schema"
      ) {
        text = JSON.stringify({ simulated: true, answer: `No tool matched: ${question.slice(0, 200)}` });
      } else {
        text =
          tools.length > 0
            ? `${SIMULATED_LABEL} I could not match this request to one of the ${tools.length} available tools, so I cannot look it up. Try naming a customer id, amounts or a ticket priority.`
            : `${SIMULATED_LABEL} I am an offline stand-in without tools here; a real model would answer: "${question.slice(0, 200)}".`;
      }
    }
    const promptTokens = estimateTokens(JSON.stringify(messages) + JSON.stringify(request.tools ?? []));
    const completionTokens = estimateTokens((text ?? "") + JSON.stringify(toolCalls ?? []));
    const usage: Usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    const message: ChatResult["choices"][number]["message"] = { role: "assistant", content: text };
    if (toolCalls) message.tool_calls = toolCalls;
    return {
      id: generateId("chatcmpl-sim"),
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: id,
      choices: [{ index: 0, message, finish_reason: toolCalls ? "tool_calls" : "stop" }],
      usage,
      llmux: { provider: "simulated" },
    };
  }

  async function* stream(request: ChatRequest, callOptions: CallOptions = {}): AsyncIterable<ChatChunk> {
    const result = await answer(request, callOptions);
    // Stream like a real provider: text in word-sized pieces, tool arguments in two fragments.
    for (const chunk of resultToChunks(result)) {
      const choice = chunk.choices[0];
      const content = choice?.delta.content;
      const toolCall = choice?.delta.tool_calls?.[0];
      if (choice && typeof content === "string" && content.length > 0) {
        for (const piece of content.match(/\S+\s*|\s+/g) ?? [content]) {
          if (callOptions.signal?.aborted) throw createCallSignal(callOptions).abortError();
          yield { ...chunk, choices: [{ ...choice, delta: { content: piece } }] };
        }
      } else if (choice && toolCall?.function?.arguments) {
        const args = toolCall.function.arguments;
        const half = Math.floor(args.length / 2);
        yield {
          ...chunk,
          choices: [
            {
              ...choice,
              delta: {
                tool_calls: [
                  { ...toolCall, function: { name: toolCall.function.name, arguments: args.slice(0, half) } },
                ],
              },
            },
          ],
        };
        yield {
          ...chunk,
          choices: [
            {
              ...choice,
              delta: { tool_calls: [{ index: toolCall.index, function: { arguments: args.slice(half) } }] },
            },
          ],
        };
      } else {
        yield chunk;
      }
    }
  }

  return {
    id,
    local: options.local ?? false,
    get calls() {
      return calls;
    },
    chat: answer,
    stream,
  };
}
