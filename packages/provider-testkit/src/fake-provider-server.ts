// The provider-neutral contract every fake provider server implements, so the conformance suite
// can script any of them the same way and check what the adapter sent.

/** Token counts a scripted reply reports, rendered in each provider's own usage shape. */
export interface ScriptedUsage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

/** Errors as each provider really sends them (status, headers, body shape). */
export type ScriptedError =
  | { type: "rate_limit"; retryAfterSeconds?: number }
  | { type: "server"; status?: 500 | 502 | 503 }
  | { type: "overloaded" }
  | { type: "context_window" }
  | { type: "content_policy" }
  | { type: "auth" }
  | { type: "permission" }
  | { type: "not_found" }
  | { type: "bad_request"; message?: string };

export interface ScriptedToolCall {
  name: string;
  /** An object (serialised by the fake) or raw text (to send malformed JSON on purpose). */
  arguments: Record<string, unknown> | string;
  id?: string;
}

interface ReplyTiming {
  /** Wait before the response starts. */
  delayMs?: number;
  /** Wait between stream events. */
  chunkDelayMs?: number;
}

/** One scripted response; the fake renders it in its provider's wire format (JSON or stream). */
export type ScriptedReply = ReplyTiming &
  (
    | {
        kind: "text";
        text: string;
        reasoning?: string;
        /** Anthropic and Bedrock: an encrypted (redacted) thinking block, opaque base64, after any signed one. */
        redactedReasoning?: string;
        usage?: ScriptedUsage;
        finishReason?: "stop" | "length" | "content_filter";
      }
    | {
        kind: "tool_calls";
        calls: ScriptedToolCall[];
        text?: string;
        /** Anthropic: a signed thinking block before the calls (extended thinking). */
        reasoning?: string;
        /** Anthropic and Bedrock: an encrypted (redacted) thinking block, opaque base64, after any signed one. */
        redactedReasoning?: string;
        usage?: ScriptedUsage;
      }
    | { kind: "error"; error: ScriptedError }
    | {
        kind: "fault";
        /** reset: close the socket; cut_stream: end a stream after `afterEvents` events; invalid_json: garbage body. */
        fault: "reset" | "cut_stream" | "invalid_json" | "empty_body";
        afterEvents?: number;
      }
    | {
        kind: "recorded";
        /** Fixture file name inside the testkit's `fixtures/<provider>/` folder. */
        fixture: string;
      }
  );

/** A request as the fake received it, plus a provider-neutral reading of it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  stream: boolean;
  normalized: NormalizedRequest;
}

export interface NormalizedMessage {
  role: "user" | "assistant" | "tool";
  text: string;
  images: number;
  toolCalls: Array<{ id: string; name: string; arguments: unknown }>;
  toolResults: Array<{ toolCallId: string; text: string; isError: boolean }>;
}

export interface NormalizedRequest {
  model: string;
  system: string[];
  messages: NormalizedMessage[];
  tools: string[];
  toolChoice?: "auto" | "none" | "required" | { name: string };
  maxTokens?: number;
  temperature?: number;
}

export type FakeProviderKind = "openai" | "anthropic" | "ollama" | "bedrock";

export interface FakeProviderServer {
  readonly provider: FakeProviderKind;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** What the provider's SDK takes as base URL / host / endpoint. */
  readonly baseURL: string;
  /** Queue replies (first in, first out). When the queue is empty the fake answers `"ok"`. */
  enqueue(...replies: ScriptedReply[]): void;
  /** Every request received, oldest first (invalid ones included). */
  readonly requests: RecordedRequest[];
  /** Forget queued replies and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}
