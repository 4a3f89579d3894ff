// A ChatModel that replays a script: each turn looks at the request (what a real model would see) and
// answers with text and/or tool calls. It records every request so tests can check ids and results.
import {
  type CallOptions,
  type ChatChunk,
  type ChatModel,
  type ChatRequest,
  type ChatResult,
  LlmuxError,
  resultToChunks,
  type ToolCall,
  type Usage,
} from "@llmux/core";

export interface ScriptedTurn {
  text?: string;
  toolCalls?: Array<{ id?: string; name: string; arguments: string }>;
  usage?: Usage;
}

export type ScriptStep = ScriptedTurn | ((request: ChatRequest) => ScriptedTurn);

export class ScriptedChatModel implements ChatModel {
  readonly id = "test/scripted";
  readonly requests: ChatRequest[] = [];
  private turn = 0;
  private callCounter = 0;

  constructor(
    private readonly script: ScriptStep[] | ((request: ChatRequest, turn: number) => ScriptedTurn),
  ) {}

  private next(request: ChatRequest, options?: CallOptions): ChatResult {
    if (options?.signal?.aborted)
      throw new LlmuxError({ kind: "aborted", message: "scripted model aborted" });
    this.requests.push(structuredClone(request));
    const index = this.turn++;
    let turn: ScriptedTurn;
    if (typeof this.script === "function") turn = this.script(request, index);
    else {
      const step = this.script[index];
      if (!step) throw new Error(`script has no turn ${index}`);
      turn = typeof step === "function" ? step(request) : step;
    }
    const toolCalls: ToolCall[] | undefined = turn.toolCalls?.map((c) => ({
      id: c.id ?? `call_${++this.callCounter}`,
      type: "function",
      function: { name: c.name, arguments: c.arguments },
    }));
    return {
      id: `chatcmpl_${index}`,
      object: "chat.completion",
      created: 1_764_000_000,
      model: "scripted",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: turn.text ?? null,
            ...(toolCalls ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: toolCalls ? "tool_calls" : "stop",
        },
      ],
      usage: turn.usage ?? { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    };
  }

  async chat(request: ChatRequest, options?: CallOptions): Promise<ChatResult> {
    return this.next(request, options);
  }

  async *stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatChunk> {
    const result = this.next(request, options);
    for (const chunk of resultToChunks(result)) {
      const content = chunk.choices[0]?.delta.content;
      if (typeof content === "string" && content.length > 1) {
        // Several text deltas, as a real stream sends them.
        for (const piece of content.match(/.{1,4}/gs) ?? []) {
          yield { ...chunk, choices: [{ ...chunk.choices[0]!, delta: { content: piece } }] };
        }
      } else yield chunk;
    }
  }
}
