import {
  BedrockRuntimeClient,
  type BedrockRuntimeClientConfig,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
} from "@aws-sdk/client-bedrock-runtime";
import {
  type CallOptions,
  type ChatChunk,
  type ChatModel,
  type ChatRequest,
  type ChatResult,
  createCallSignal,
  type FinishReason,
  generateId,
  LlmuxError,
  type ThinkingBlock,
  type ToolCall,
  type Warning,
} from "@llmux/core";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { mapBedrockError } from "./bedrock-error.js";
import { type BedrockToolNames, prepareBedrockTools } from "./bedrock-prepare-tools.js";
import { convertBedrockUsage } from "./bedrock-usage.js";
import type {
  BedrockConverseInput,
  BedrockConverseOutput,
  BedrockStreamEvent,
} from "./bedrock-wire-types.js";
import { convertToBedrockMessages } from "./convert-to-bedrock-messages.js";
import { mapBedrockStopReason } from "./map-bedrock-stop-reason.js";

/** Redacted reasoning arrives as bytes; messages carry it as base64 text. */
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

export interface BedrockChatModelConfig {
  /** AWS region; default from the standard chain (`AWS_REGION`, config files). */
  region?: string;
  /** Endpoint override, e.g. a VPC endpoint or a local fake (`http://127.0.0.1:PORT`). */
  endpoint?: string;
  /** Static credentials or a provider; default: the standard AWS credential chain. */
  credentials?: BedrockRuntimeClientConfig["credentials"];
  /** SDK attempts per call. Default 1: llmux's router retries with backoff. */
  maxAttempts?: number;
  /** Use a ready-made client (its region, endpoint and credentials win). */
  client?: BedrockRuntimeClient;
}

// Fields Converse does not have: reported as warnings, never silently dropped.
const UNSUPPORTED: Array<keyof ChatRequest> = [
  "seed",
  "presence_penalty",
  "frequency_penalty",
  "response_format",
  "reasoning_effort",
];

/** A `ChatModel` over AWS Bedrock Converse / ConverseStream (`@aws-sdk/client-bedrock-runtime`). */
export class BedrockChatModel implements ChatModel {
  readonly id: string;
  private client: BedrockRuntimeClient | undefined;

  constructor(
    readonly modelName: string,
    private readonly config: BedrockChatModelConfig = {},
  ) {
    if (typeof modelName !== "string" || modelName.trim() === "") {
      throw new LlmuxError({
        kind: "bad_request",
        param: "model",
        message: "bedrock model id must be a non-empty string",
      });
    }
    this.id = `bedrock/${modelName}`;
    this.client = config.client;
  }

  private sdk(): BedrockRuntimeClient {
    if (this.client) return this.client;
    this.client = new BedrockRuntimeClient({
      ...(this.config.region ? { region: this.config.region } : {}),
      ...(this.config.endpoint ? { endpoint: this.config.endpoint } : {}),
      ...(this.config.credentials ? { credentials: this.config.credentials } : {}),
      maxAttempts: this.config.maxAttempts ?? 1,
      // HTTP/1.1 handler: the default HTTP/2 one cannot talk to a plain-HTTP endpoint.
      requestHandler: new NodeHttpHandler(),
    });
    return this.client;
  }

  private get endpoint(): string {
    return (
      this.config.endpoint ??
      `bedrock-runtime.${this.config.region ?? process.env.AWS_REGION ?? "<region>"}.amazonaws.com`
    );
  }

  /** The Converse input this model would send (pure translation; no I/O). */
  prepare(request: ChatRequest): {
    input: BedrockConverseInput;
    names: BedrockToolNames;
    warnings: Warning[];
  } {
    if (typeof request !== "object" || request === null) {
      throw new LlmuxError({ kind: "bad_request", param: "request", message: "request must be an object" });
    }
    const historyHasTools = (Array.isArray(request.messages) ? request.messages : []).some(
      (m) => m?.role === "tool" || (m?.role === "assistant" && (m.tool_calls?.length ?? 0) > 0),
    );
    const tools = prepareBedrockTools({
      tools: request.tools,
      toolChoice: request.tool_choice,
      parallelToolCalls: request.parallel_tool_calls,
      historyHasTools,
    });
    // One name codec for toolConfig and the history, so both name a tool the same way.
    const prompt = convertToBedrockMessages(request.messages, tools.names);
    const warnings: Warning[] = [...tools.warnings, ...prompt.warnings];
    for (const field of UNSUPPORTED) {
      if (
        request[field] !== undefined &&
        !(field === "response_format" && request.response_format?.type === "text")
      ) {
        warnings.push({
          type: "unsupported-setting",
          setting: field,
          message: `Bedrock Converse does not support ${field}; it was not sent`,
        });
      }
    }
    const input: BedrockConverseInput = { modelId: this.modelName, messages: prompt.messages };
    if (prompt.system) input.system = prompt.system;
    if (tools.toolConfig) input.toolConfig = tools.toolConfig;
    const inference: NonNullable<BedrockConverseInput["inferenceConfig"]> = {};
    const maxTokens = request.max_completion_tokens ?? request.max_tokens;
    if (maxTokens !== undefined) inference.maxTokens = maxTokens;
    if (request.temperature !== undefined) inference.temperature = request.temperature;
    if (request.top_p !== undefined) inference.topP = request.top_p;
    if (request.stop !== undefined)
      inference.stopSequences = Array.isArray(request.stop) ? request.stop : [request.stop];
    if (Object.keys(inference).length > 0) input.inferenceConfig = inference;
    // Raw Converse fields (additionalModelRequestFields, guardrailConfig, performanceConfig…).
    const extra = request.providerOptions?.bedrock;
    if (extra) for (const [key, value] of Object.entries(extra)) if (value !== undefined) input[key] = value;
    return { input, names: tools.names, warnings };
  }

  async chat(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    const { input, names, warnings } = this.prepare(request);
    const client = this.sdk();
    const call = createCallSignal(options, { provider: "bedrock", model: this.modelName });
    let output: BedrockConverseOutput;
    try {
      output = (await client.send(new ConverseCommand(input as unknown as ConverseCommandInput), {
        abortSignal: call.signal,
      })) as unknown as BedrockConverseOutput;
    } catch (error) {
      throw (
        call.abortError(error) ?? mapBedrockError(error, { model: this.modelName, endpoint: this.endpoint })
      );
    } finally {
      call.dispose();
    }
    const blocks = output.output?.message?.content;
    if (!Array.isArray(blocks)) {
      throw new LlmuxError({
        kind: "invalid_response",
        provider: "bedrock",
        model: this.modelName,
        message: `bedrock (${this.modelName}) returned no output.message.content`,
      });
    }
    let text = "";
    let reasoning = "";
    const toolCalls: ToolCall[] = [];
    const thinkingBlocks: ThinkingBlock[] = [];
    for (const block of blocks) {
      if (typeof block.text === "string") text += block.text;
      else if (block.toolUse) {
        toolCalls.push({
          id: block.toolUse.toolUseId ?? generateId("call"),
          type: "function",
          function: {
            name: names.fromProvider(block.toolUse.name ?? ""),
            arguments: JSON.stringify(block.toolUse.input ?? {}),
          },
        });
      } else if (block.reasoningContent?.reasoningText) {
        const { text: thinking = "", signature } = block.reasoningContent.reasoningText;
        reasoning += thinking;
        thinkingBlocks.push({ type: "thinking", thinking, ...(signature ? { signature } : {}) });
      } else if (block.reasoningContent?.redactedContent) {
        thinkingBlocks.push({
          type: "redacted_thinking",
          data: base64(block.reasoningContent.redactedContent),
        });
      }
    }
    const message: ChatResult["choices"][number]["message"] = {
      role: "assistant",
      content: text === "" && toolCalls.length > 0 ? null : text,
    };
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    if (reasoning) message.reasoning_content = reasoning;
    if (thinkingBlocks.length > 0) message.thinking_blocks = thinkingBlocks;
    const result: ChatResult = {
      id: output.$metadata?.requestId ? `bedrock-${output.$metadata.requestId}` : generateId("chatcmpl"),
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: this.modelName,
      choices: [{ index: 0, message, finish_reason: mapBedrockStopReason(output.stopReason) }],
      llmux: { provider: "bedrock", ...(warnings.length > 0 ? { warnings } : {}) },
    };
    if (output.usage) result.usage = convertBedrockUsage(output.usage);
    return result;
  }

  async *stream(request: ChatRequest, options: CallOptions = {}): AsyncGenerator<ChatChunk> {
    const { input, names, warnings } = this.prepare(request);
    const client = this.sdk();
    const call = createCallSignal(options, { provider: "bedrock", model: this.modelName });
    const who = { model: this.modelName, endpoint: this.endpoint };
    const created = Math.floor(Date.now() / 1000);
    let id = generateId("chatcmpl");
    const chunk = (
      delta: ChatChunk["choices"][number]["delta"],
      finish: FinishReason | null = null,
    ): ChatChunk => ({
      id,
      object: "chat.completion.chunk",
      created,
      model: this.modelName,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    const toolBlocks = new Map<number, { toolIndex: number; argsSeen: boolean }>();
    const reasoningBlocks = new Map<number, ThinkingBlock>();
    let toolCount = 0;
    let started = false;
    let stopped = false;
    try {
      let events: AsyncIterable<BedrockStreamEvent>;
      try {
        const response = (await client.send(
          new ConverseStreamCommand(input as unknown as ConverseStreamCommandInput),
          {
            abortSignal: call.signal,
          },
        )) as unknown as { stream?: AsyncIterable<BedrockStreamEvent>; $metadata?: { requestId?: string } };
        if (!response.stream) {
          throw new LlmuxError({
            kind: "invalid_response",
            provider: "bedrock",
            model: this.modelName,
            message: `bedrock (${this.modelName}) ConverseStream returned no stream`,
          });
        }
        if (response.$metadata?.requestId) id = `bedrock-${response.$metadata.requestId}`;
        events = response.stream;
      } catch (error) {
        throw call.abortError(error) ?? mapBedrockError(error, who);
      }
      const start = (): ChatChunk[] => {
        if (started) return [];
        started = true;
        const first = chunk({ role: "assistant", content: "" });
        first.llmux = { provider: "bedrock", ...(warnings.length > 0 ? { warnings } : {}) };
        return [first];
      };
      try {
        for await (const event of events) {
          if (event.messageStart) {
            yield* start();
          } else if (event.contentBlockStart) {
            yield* start();
            const index = event.contentBlockStart.contentBlockIndex ?? 0;
            const tool = event.contentBlockStart.start?.toolUse;
            if (tool) {
              const toolIndex = toolCount++;
              toolBlocks.set(index, { toolIndex, argsSeen: false });
              yield chunk({
                tool_calls: [
                  {
                    index: toolIndex,
                    id: tool.toolUseId ?? generateId("call"),
                    type: "function",
                    function: { name: names.fromProvider(tool.name ?? ""), arguments: "" },
                  },
                ],
              });
            }
          } else if (event.contentBlockDelta) {
            yield* start();
            const index = event.contentBlockDelta.contentBlockIndex ?? 0;
            const delta = event.contentBlockDelta.delta ?? {};
            if (typeof delta.text === "string" && delta.text !== "") yield chunk({ content: delta.text });
            else if (delta.reasoningContent) {
              // Reasoning streams as text pieces, then its signature (or arrives redacted); the
              // whole block goes out at contentBlockStop.
              const r = delta.reasoningContent;
              let block = reasoningBlocks.get(index);
              if (!block) {
                block = r.redactedContent
                  ? { type: "redacted_thinking", data: "" }
                  : { type: "thinking", thinking: "", signature: "" };
                reasoningBlocks.set(index, block);
              }
              if (block.type === "thinking") {
                if (r.text) block.thinking += r.text;
                if (r.signature) block.signature = (block.signature ?? "") + r.signature;
              } else if (r.redactedContent) block.data += base64(r.redactedContent);
              if (r.text) yield chunk({ reasoning_content: r.text });
            } else if (delta.toolUse) {
              const tool = toolBlocks.get(index);
              if (!tool) {
                throw new LlmuxError({
                  kind: "invalid_response",
                  provider: "bedrock",
                  model: this.modelName,
                  message: `bedrock (${this.modelName}) sent toolUse input for block ${index}, which did not start as a toolUse block`,
                });
              }
              if (delta.toolUse.input) {
                tool.argsSeen = true;
                yield chunk({
                  tool_calls: [{ index: tool.toolIndex, function: { arguments: delta.toolUse.input } }],
                });
              }
            }
          } else if (event.contentBlockStop) {
            const reasoningBlock = reasoningBlocks.get(event.contentBlockStop.contentBlockIndex ?? 0);
            if (reasoningBlock) {
              reasoningBlocks.delete(event.contentBlockStop.contentBlockIndex ?? 0);
              if (reasoningBlock.type === "thinking" && !reasoningBlock.signature)
                delete reasoningBlock.signature;
              yield chunk({ thinking_blocks: [reasoningBlock] });
            }
            const tool = toolBlocks.get(event.contentBlockStop.contentBlockIndex ?? 0);
            if (tool && !tool.argsSeen) {
              tool.argsSeen = true;
              yield chunk({ tool_calls: [{ index: tool.toolIndex, function: { arguments: "{}" } }] });
            }
          } else if (event.messageStop) {
            yield* start();
            stopped = true;
            yield chunk({}, mapBedrockStopReason(event.messageStop.stopReason));
          } else if (event.metadata?.usage) {
            yield {
              id,
              object: "chat.completion.chunk",
              created,
              model: this.modelName,
              choices: [],
              usage: convertBedrockUsage(event.metadata.usage),
            };
          }
        }
      } catch (error) {
        throw call.abortError(error) ?? mapBedrockError(error, who);
      }
      const aborted = call.abortError();
      if (aborted) throw aborted;
      if (!stopped) {
        throw new LlmuxError({
          kind: "invalid_response",
          provider: "bedrock",
          model: this.modelName,
          message: `bedrock (${this.modelName}) stream ended before messageStop: it was cut`,
        });
      }
    } finally {
      call.dispose();
    }
  }
}
