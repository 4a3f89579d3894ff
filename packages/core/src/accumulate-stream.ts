import type {
  AssistantMessage,
  ChatChoice,
  ChatChunk,
  ChatResult,
  FinishReason,
  ResultMetadata,
  ThinkingBlock,
  ToolCall,
  Usage,
} from "./chat-types.js";
import { LlmuxError } from "./llmux-error.js";

interface ToolCallState {
  id: string | undefined;
  name: string;
  args: string;
}

interface ChoiceState {
  content: string;
  hasContent: boolean;
  reasoning: string;
  thinkingBlocks: ThinkingBlock[];
  refusal: string;
  /** Tool calls by their stream index (indexes may start at 1, or interleave). */
  toolCalls: Map<number, ToolCallState>;
  finishReason: FinishReason | null;
}

function invalid(message: string): LlmuxError {
  return new LlmuxError({ kind: "invalid_response", message: `malformed stream: ${message}` });
}

/**
 * Assembles chunks into a `ChatResult` as they arrive. Strict: arguments before a tool's name,
 * chunks of another stream, or a stream that ends without a finish reason are errors, not a short answer.
 *
 * @example
 * const acc = new StreamAccumulator();
 * for await (const chunk of model.stream(req)) acc.push(chunk);
 * const result = acc.result();
 */
export class StreamAccumulator {
  private id: string | undefined;
  private model = "";
  private created = 0;
  private systemFingerprint: string | undefined;
  private usage: Usage | undefined;
  private metadata: ResultMetadata | undefined;
  private readonly choices = new Map<number, ChoiceState>();
  private chunkCount = 0;

  /** Number of chunks pushed so far. */
  get chunks(): number {
    return this.chunkCount;
  }

  push(chunk: ChatChunk): void {
    if (typeof chunk !== "object" || chunk === null || !Array.isArray(chunk.choices)) {
      throw invalid(`chunk ${this.chunkCount} has no "choices" array`);
    }
    this.chunkCount++;
    if (this.id === undefined) {
      this.id = chunk.id;
      this.model = chunk.model;
      this.created = chunk.created;
    }
    if (chunk.system_fingerprint) this.systemFingerprint = chunk.system_fingerprint;
    if (chunk.usage) this.usage = chunk.usage;
    if (chunk.llmux) this.metadata = { ...this.metadata, ...chunk.llmux };
    for (const choice of chunk.choices) {
      let state = this.choices.get(choice.index);
      if (!state) {
        state = {
          content: "",
          hasContent: false,
          reasoning: "",
          thinkingBlocks: [],
          refusal: "",
          toolCalls: new Map(),
          finishReason: null,
        };
        this.choices.set(choice.index, state);
      }
      const delta = choice.delta ?? {};
      if (typeof delta.content === "string") {
        state.content += delta.content;
        state.hasContent = true;
      }
      if (typeof delta.reasoning_content === "string") state.reasoning += delta.reasoning_content;
      if (Array.isArray(delta.thinking_blocks)) state.thinkingBlocks.push(...delta.thinking_blocks);
      if (typeof delta.refusal === "string") state.refusal += delta.refusal;
      const calls = delta.tool_calls ?? [];
      for (let position = 0; position < calls.length; position++) {
        const call = calls[position]!;
        // Mistral sends complete calls without `index`: their place in the array is the index.
        const index = call.index ?? position;
        if (typeof index !== "number" || !Number.isInteger(index) || index < 0) {
          throw invalid(
            `tool call delta with an invalid "index" (${JSON.stringify(call.index)}) in chunk ${this.chunkCount - 1}`,
          );
        }
        let tc = state.toolCalls.get(index);
        if (!tc) {
          if (!call.function?.name) {
            throw invalid(`tool call at index ${index} received arguments before its name`);
          }
          tc = { id: call.id || undefined, name: "", args: "" };
          state.toolCalls.set(index, tc);
        } else if (call.id && tc.id && call.id !== tc.id) {
          throw invalid(`tool call at index ${index} changed id from ${tc.id} to ${call.id}`);
        }
        if (call.id && !tc.id) tc.id = call.id;
        if (call.function?.name && tc.name === "") tc.name = call.function.name;
        if (typeof call.function?.arguments === "string") tc.args += call.function.arguments;
      }
      if (choice.finish_reason) state.finishReason = choice.finish_reason;
    }
  }

  /** Whether any choice has finished (a finish reason was seen). */
  get finished(): boolean {
    for (const c of this.choices.values()) if (c.finishReason) return true;
    return false;
  }

  /** The assembled result. Throws `invalid_response` if the stream was empty or never finished. */
  result(): ChatResult {
    if (this.chunkCount === 0) throw invalid("the stream ended without any chunk");
    if (this.choices.size === 0) throw invalid("the stream ended without any choice");
    const choices: ChatChoice[] = [];
    for (const [index, state] of [...this.choices.entries()].sort((a, b) => a[0] - b[0])) {
      if (!state.finishReason) {
        throw invalid(`the stream ended before choice ${index} finished (no finish_reason): it was cut`);
      }
      const message: AssistantMessage & { content: string | null } = {
        role: "assistant",
        // A tool-only answer has null content, as OpenAI returns it (streams send `""` first).
        content:
          state.hasContent && (state.content !== "" || state.toolCalls.size === 0) ? state.content : null,
      };
      if (state.toolCalls.size > 0) {
        const calls: ToolCall[] = [];
        let position = 0;
        for (const [, tc] of [...state.toolCalls.entries()].sort((a, b) => a[0] - b[0])) {
          calls.push({
            id: tc.id ?? `call_${index}_${position}`,
            type: "function",
            // A call with no arguments streams none: that is `{}`, not malformed.
            function: { name: tc.name, arguments: tc.args === "" ? "{}" : tc.args },
          });
          position++;
        }
        message.tool_calls = calls;
      }
      if (state.reasoning) message.reasoning_content = state.reasoning;
      if (state.thinkingBlocks.length > 0) message.thinking_blocks = state.thinkingBlocks;
      if (state.refusal) message.refusal = state.refusal;
      choices.push({ index, message, finish_reason: state.finishReason });
    }
    const result: ChatResult = {
      id: this.id ?? "",
      object: "chat.completion",
      created: this.created,
      model: this.model,
      choices,
    };
    if (this.usage) result.usage = this.usage;
    if (this.systemFingerprint) result.system_fingerprint = this.systemFingerprint;
    if (this.metadata) result.llmux = this.metadata;
    return result;
  }
}

/**
 * Drains a stream of chunks into one `ChatResult`.
 *
 * @example
 * const result = await accumulateStream(model.stream({ messages }));
 */
export async function accumulateStream(
  chunks: AsyncIterable<ChatChunk> | Iterable<ChatChunk>,
): Promise<ChatResult> {
  const acc = new StreamAccumulator();
  for await (const chunk of chunks) acc.push(chunk);
  return acc.result();
}
