import {
  type ChatChunk,
  type ChunkDelta,
  type FinishReason,
  LlmuxError,
  type ThinkingBlock,
  type Usage,
} from "@llmux/core";
import type { ToolNames } from "./anthropic-prepare-tools.js";
import { convertAnthropicUsage } from "./anthropic-usage.js";
import type { AnthropicStreamEvent, AnthropicUsage } from "./anthropic-wire-types.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

interface ToolBlock {
  toolIndex: number;
  argsSeen: boolean;
  /** `input` given whole in content_block_start (not streamed), sent if no deltas follow. */
  initialInput: string | undefined;
}

/**
 * Turns Messages API stream events into OpenAI-shaped chunks. Tool input arrives as
 * `input_json_delta` fragments keyed by content block index (which may start at 1 and interleave
 * with text); each tool block gets the next OpenAI tool-call index.
 */
export class AnthropicStreamMapper {
  private id = "";
  private model: string;
  private readonly created = Math.floor(Date.now() / 1000);
  private started = false;
  private sawContent = false;
  private readonly toolBlocks = new Map<number, ToolBlock>();
  /** Thinking blocks being streamed, by content block index; each is sent whole at its block stop. */
  private readonly thinkingBlocks = new Map<number, ThinkingBlock>();
  private toolCount = 0;
  private usage: AnthropicUsage = {};
  private finishReason: FinishReason | null = null;
  private stopped = false;

  constructor(
    model: string,
    private readonly names: ToolNames,
  ) {
    this.model = model;
  }

  private chunk(delta: ChunkDelta, finish: FinishReason | null = null): ChatChunk {
    return {
      id: this.id,
      object: "chat.completion.chunk",
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    };
  }

  private invalid(message: string): LlmuxError {
    return new LlmuxError({
      kind: "invalid_response",
      provider: "anthropic",
      model: this.model,
      message: `anthropic (${this.model}) sent a malformed stream: ${message}`,
    });
  }

  /** Chunks for one event (often none: pings, block stops). */
  map(event: AnthropicStreamEvent): ChatChunk[] {
    switch (event.type) {
      case "message_start": {
        const message = event.message;
        if (this.started) {
          // The same message announced twice is harmless; a different message means the
          // stream was spliced onto a restarted one, and what was already sent cannot be taken back.
          if (message?.id === this.id && !this.sawContent) return [];
          throw this.invalid(
            `a second message_start (${message?.id}) arrived inside message ${this.id}: the stream was restarted mid-message`,
          );
        }
        this.started = true;
        this.id = message?.id ?? "";
        if (message?.model) this.model = message.model;
        this.usage = { ...message?.usage };
        return [this.chunk({ role: "assistant", content: "" })];
      }
      case "content_block_start": {
        this.requireStarted(event.type);
        this.sawContent = true;
        const block = event.content_block;
        if (block.type === "tool_use") {
          const b = block as { id: string; name: string; input?: unknown };
          const input =
            b.input && typeof b.input === "object" && Object.keys(b.input).length > 0
              ? JSON.stringify(b.input)
              : undefined;
          const toolIndex = this.toolCount++;
          this.toolBlocks.set(event.index, { toolIndex, argsSeen: false, initialInput: input });
          return [
            this.chunk({
              tool_calls: [
                {
                  index: toolIndex,
                  id: b.id,
                  type: "function",
                  function: { name: this.names.fromProvider(b.name), arguments: "" },
                },
              ],
            }),
          ];
        }
        if (block.type === "text" && typeof block.text === "string" && block.text !== "") {
          return [this.chunk({ content: block.text })];
        }
        if (block.type === "thinking") {
          const thinking = typeof block.thinking === "string" ? block.thinking : "";
          const signature = typeof block.signature === "string" ? block.signature : "";
          this.thinkingBlocks.set(event.index, { type: "thinking", thinking, signature });
          return thinking === "" ? [] : [this.chunk({ reasoning_content: thinking })];
        }
        if (block.type === "redacted_thinking" && typeof block.data === "string") {
          this.thinkingBlocks.set(event.index, { type: "redacted_thinking", data: block.data });
        }
        return [];
      }
      case "content_block_delta": {
        this.requireStarted(event.type);
        const delta = event.delta;
        if (delta.type === "text_delta" && typeof delta.text === "string") {
          return delta.text === "" ? [] : [this.chunk({ content: delta.text })];
        }
        if (delta.type === "thinking_delta" && typeof delta.thinking === "string") {
          const block = this.thinkingBlocks.get(event.index);
          if (block?.type === "thinking") block.thinking += delta.thinking;
          return delta.thinking === "" ? [] : [this.chunk({ reasoning_content: delta.thinking })];
        }
        if (delta.type === "signature_delta" && typeof delta.signature === "string") {
          const block = this.thinkingBlocks.get(event.index);
          if (block?.type === "thinking") block.signature = (block.signature ?? "") + delta.signature;
          return [];
        }
        if (delta.type === "input_json_delta" && typeof delta.partial_json === "string") {
          const tool = this.toolBlocks.get(event.index);
          if (!tool)
            throw this.invalid(`input_json_delta for block ${event.index}, which is not a tool_use block`);
          if (delta.partial_json === "") return [];
          tool.argsSeen = true;
          return [
            this.chunk({
              tool_calls: [{ index: tool.toolIndex, function: { arguments: delta.partial_json } }],
            }),
          ];
        }
        return [];
      }
      case "content_block_stop": {
        const thinking = this.thinkingBlocks.get(event.index);
        if (thinking) {
          this.thinkingBlocks.delete(event.index);
          if (thinking.type === "thinking" && !thinking.signature) delete thinking.signature;
          return [this.chunk({ thinking_blocks: [thinking] })];
        }
        const tool = this.toolBlocks.get(event.index);
        if (tool && !tool.argsSeen) {
          tool.argsSeen = true;
          // A tool without arguments streams none: say `{}` (or the input given up front) explicitly.
          return [
            this.chunk({
              tool_calls: [{ index: tool.toolIndex, function: { arguments: tool.initialInput ?? "{}" } }],
            }),
          ];
        }
        return [];
      }
      case "message_delta": {
        this.requireStarted(event.type);
        if (event.usage) {
          // message_delta usage is cumulative: it replaces what message_start said.
          for (const [key, value] of Object.entries(event.usage)) {
            if (value !== null && value !== undefined) (this.usage as Record<string, unknown>)[key] = value;
          }
        }
        if (event.delta?.stop_reason) {
          this.finishReason = mapAnthropicStopReason(event.delta.stop_reason);
          return [this.chunk({}, this.finishReason)];
        }
        return [];
      }
      case "message_stop": {
        this.requireStarted(event.type);
        this.stopped = true;
        const out: ChatChunk[] = [];
        if (!this.finishReason) {
          this.finishReason = "stop";
          out.push(this.chunk({}, "stop"));
        }
        out.push({
          id: this.id,
          object: "chat.completion.chunk",
          created: this.created,
          model: this.model,
          choices: [],
          usage: this.finalUsage(),
        });
        return out;
      }
      default:
        return [];
    }
  }

  /** Call when the event stream ends: throws if it ended before `message_stop`. */
  end(): void {
    if (!this.started) throw this.invalid("the stream ended without any event");
    if (!this.stopped) throw this.invalid("the stream ended before message_stop: it was cut");
  }

  finalUsage(): Usage {
    return convertAnthropicUsage(this.usage);
  }

  private requireStarted(type: string): void {
    if (!this.started) throw this.invalid(`${type} arrived before message_start`);
  }
}
