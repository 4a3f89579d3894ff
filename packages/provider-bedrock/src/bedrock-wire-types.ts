// The slice of the Bedrock Converse wire format this adapter writes and reads (SDK-shaped: images
// as bytes, documents as plain JSON values).

export type BedrockContentBlock =
  | { text: string }
  | {
      reasoningContent:
        | { reasoningText: { text: string; signature: string } }
        | { redactedContent: Uint8Array };
    }
  | { image: { format: "png" | "jpeg" | "gif" | "webp"; source: { bytes: Uint8Array } } }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | {
      toolResult: {
        toolUseId: string;
        content: Array<
          | { text: string }
          | { image: { format: "png" | "jpeg" | "gif" | "webp"; source: { bytes: Uint8Array } } }
        >;
        status?: "success" | "error";
      };
    };

export interface BedrockMessage {
  role: "user" | "assistant";
  content: BedrockContentBlock[];
}

export interface BedrockToolSpec {
  toolSpec: { name: string; description: string; inputSchema: { json: Record<string, unknown> } };
}

export type BedrockToolChoice =
  | { auto: Record<string, never> }
  | { any: Record<string, never> }
  | { tool: { name: string } };

export interface BedrockToolConfig {
  tools: BedrockToolSpec[];
  toolChoice?: BedrockToolChoice;
}

export interface BedrockConverseInput {
  modelId: string;
  messages: BedrockMessage[];
  system?: Array<{ text: string }>;
  toolConfig?: BedrockToolConfig;
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  additionalModelRequestFields?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface BedrockUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export interface BedrockConverseOutput {
  output?: {
    message?: {
      role?: string;
      content?: Array<{
        text?: string;
        toolUse?: { toolUseId?: string; name?: string; input?: unknown };
        reasoningContent?: {
          reasoningText?: { text?: string; signature?: string };
          redactedContent?: Uint8Array;
        };
      }>;
    };
  };
  stopReason?: string;
  usage?: BedrockUsage;
  $metadata?: { requestId?: string };
}

/** One ConverseStream event, as the SDK yields it: `{ <eventType>: payload }`. */
export interface BedrockStreamEvent {
  messageStart?: { role?: string };
  contentBlockStart?: {
    contentBlockIndex?: number;
    start?: { toolUse?: { toolUseId?: string; name?: string } };
  };
  contentBlockDelta?: {
    contentBlockIndex?: number;
    delta?: {
      text?: string;
      toolUse?: { input?: string };
      reasoningContent?: { text?: string; signature?: string; redactedContent?: Uint8Array };
    };
  };
  contentBlockStop?: { contentBlockIndex?: number };
  messageStop?: { stopReason?: string };
  metadata?: { usage?: BedrockUsage };
}
