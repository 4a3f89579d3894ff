// The conformance suite every provider adapter runs in its own tests, against its fake server:
// the same behaviours, asserted the same way, so a user can swap one provider for another.
import {
  accumulateStream,
  type ChatChunk,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type ChatTool,
  type ErrorKind,
  isLlmuxError,
  type LlmuxError,
} from "@llmux/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeProviderServer, ScriptedError } from "./fake-provider-server.js";

/** Behaviours an adapter may declare it cannot have (its provider lacks them); each gates some tests. */
export const CONFORMANCE_FEATURES = [
  "streaming",
  "tools",
  "parallel_tool_calls",
  "tool_choice",
  "images",
  "system",
  "usage",
  "cache_read_usage",
  "cache_write_usage",
  "reasoning_usage",
  "finish_length",
  "finish_content_filter",
  "errors",
  "abort",
  "timeout",
  "faults",
] as const;

export type ConformanceFeature = (typeof CONFORMANCE_FEATURES)[number];

export interface ConformanceOptions {
  /** Suite title, e.g. `"provider-openai"`. */
  name: string;
  /** The provider id the adapter reports: first segment of `model.id` and `LlmuxError.provider`. */
  provider: string;
  startServer: () => Promise<FakeProviderServer>;
  createModel: (server: FakeProviderServer) => ChatModel;
  /** Features the provider does not have; their tests are not registered. */
  unsupported?: ConformanceFeature[];
  /** HTTP-error scripts and the kind each must map to (default: the common set, see `DEFAULT_ERROR_CASES`). */
  errorCases?: Array<{ error: ScriptedError; kind: ErrorKind }>;
}

/** The scripted provider errors every adapter must map, and the `LlmuxError.kind` expected. */
export const DEFAULT_ERROR_CASES: Array<{ error: ScriptedError; kind: ErrorKind }> = [
  { error: { type: "auth" }, kind: "auth" },
  { error: { type: "permission" }, kind: "permission" },
  { error: { type: "not_found" }, kind: "not_found" },
  { error: { type: "bad_request", message: "Invalid value for 'temperature'" }, kind: "bad_request" },
  { error: { type: "context_window" }, kind: "context_window" },
  { error: { type: "content_policy" }, kind: "content_policy" },
  { error: { type: "rate_limit", retryAfterSeconds: 7 }, kind: "rate_limit" },
  { error: { type: "server", status: 500 }, kind: "server" },
  { error: { type: "server", status: 503 }, kind: "server" },
  { error: { type: "overloaded" }, kind: "server" },
];

const RETRYABLE: ReadonlySet<ErrorKind> = new Set(["rate_limit", "timeout", "connection", "server"]);

const weatherTool: ChatTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const timeTool: ChatTool = {
  type: "function",
  function: { name: "get_time", description: "Current time", parameters: { type: "object", properties: {} } },
};
const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: "user", content: text }],
  max_tokens: 200,
  ...extra,
});
// 1×1 transparent PNG.
const PIXEL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

async function failure(run: () => Promise<unknown>): Promise<LlmuxError> {
  try {
    await run();
  } catch (error) {
    if (isLlmuxError(error)) return error;
    throw new Error(`expected an LlmuxError, got: ${String(error)}`, { cause: error });
  }
  throw new Error("expected the call to fail, it succeeded");
}

/** Drains the adapter's own stream (no accumulator), so the adapter itself must raise stream errors. */
async function drain(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/**
 * Registers the shared adapter conformance tests (vitest) for one adapter against its fake server.
 *
 * @example
 * runConformance({ name: "openai", provider: "openai", startServer: () => startFakeOpenAI(),
 *   createModel: (s) => createOpenAI({ apiKey: "test", baseURL: s.baseURL }).chatModel("gpt-4o-mini") });
 */
export function runConformance(options: ConformanceOptions): void {
  const off = new Set<string>(options.unsupported ?? []);
  const has = (feature: ConformanceFeature) => !off.has(feature);
  const errorCases = options.errorCases ?? DEFAULT_ERROR_CASES;

  describe(`conformance: ${options.name}`, () => {
    let server: FakeProviderServer;
    let model: ChatModel;
    beforeAll(async () => {
      server = await options.startServer();
      model = options.createModel(server);
    });
    afterAll(async () => {
      await server?.close();
    });
    beforeEach(() => server.reset());
    const last = () => {
      const request = server.requests.at(-1);
      if (!request) throw new Error("the fake received no request");
      return request;
    };

    it("names itself provider/model", () => {
      expect(model.id.startsWith(`${options.provider}/`)).toBe(true);
    });

    describe("text", () => {
      it("answers a prompt with the scripted text and finish_reason stop", async () => {
        server.enqueue({ kind: "text", text: "Hello from the fake." });
        const result = await model.chat(ask("Say hello"));
        expect(result.object).toBe("chat.completion");
        expect(result.id).not.toBe("");
        expect(result.choices[0]?.message.content).toBe("Hello from the fake.");
        expect(result.choices[0]?.finish_reason).toBe("stop");
        expect(last().normalized.messages.at(-1)?.text).toContain("Say hello");
      });

      if (has("streaming")) {
        it("streams the same text in chunks that accumulate to one result", async () => {
          server.enqueue({ kind: "text", text: "Streaming works across several chunks." });
          const chunks = await drain(model.stream(ask("Stream please")));
          expect(chunks.length).toBeGreaterThan(1);
          const result = await accumulateStream(chunks);
          expect(result.choices[0]?.message.content).toBe("Streaming works across several chunks.");
          expect(result.choices[0]?.finish_reason).toBe("stop");
          expect(last().stream).toBe(true);
        });
      }

      if (has("system")) {
        it("sends system messages as the provider's system prompt", async () => {
          await model.chat({
            messages: [
              { role: "system", content: "You are terse." },
              { role: "user", content: "Hi" },
            ],
          });
          expect(last().normalized.system.join("\n")).toContain("You are terse.");
          expect(last().normalized.messages.map((m) => m.role)).toEqual(["user"]);
        });
      }

      if (has("images")) {
        it("sends multi-part user content with an image", async () => {
          await model.chat({
            messages: [
              {
                role: "user",
                content: [
                  { type: "text", text: "What is in this picture?" },
                  { type: "image_url", image_url: { url: PIXEL } },
                ],
              },
            ],
          });
          const sent = last().normalized.messages[0];
          expect(sent?.text).toContain("What is in this picture?");
          expect(sent?.images).toBe(1);
        });
      }

      it("passes temperature and max tokens through", async () => {
        await model.chat(ask("Hi", { temperature: 0.5, max_tokens: 123 }));
        expect(last().normalized.temperature).toBe(0.5);
        expect(last().normalized.maxTokens).toBe(123);
      });
    });

    if (has("tools")) {
      describe("tools", () => {
        it("returns a single tool call with parsed-able JSON arguments and finish_reason tool_calls", async () => {
          server.enqueue({
            kind: "tool_calls",
            calls: [{ name: "get_weather", arguments: { city: "Paris" } }],
          });
          const result = await model.chat(ask("Weather in Paris?", { tools: [weatherTool, timeTool] }));
          const calls = result.choices[0]?.message.tool_calls ?? [];
          expect(calls).toHaveLength(1);
          expect(calls[0]?.id).toMatch(/\S/);
          expect(calls[0]?.function.name).toBe("get_weather");
          expect(JSON.parse(calls[0]?.function.arguments ?? "")).toEqual({ city: "Paris" });
          expect(result.choices[0]?.finish_reason).toBe("tool_calls");
          expect(last().normalized.tools).toEqual(["get_weather", "get_time"]);
        });

        it("returns a tool call without arguments as '{}'", async () => {
          server.enqueue({ kind: "tool_calls", calls: [{ name: "get_time", arguments: {} }] });
          const result = await model.chat(ask("What time is it?", { tools: [timeTool] }));
          const call = result.choices[0]?.message.tool_calls?.[0];
          expect(call?.function.name).toBe("get_time");
          expect(JSON.parse(call?.function.arguments || "{}")).toEqual({});
        });

        if (has("parallel_tool_calls")) {
          it("returns parallel tool calls in order with distinct ids", async () => {
            server.enqueue({
              kind: "tool_calls",
              calls: [
                { name: "get_weather", arguments: { city: "Paris" } },
                { name: "get_weather", arguments: { city: "Tokyo" } },
              ],
            });
            const result = await model.chat(ask("Paris and Tokyo?", { tools: [weatherTool] }));
            const calls = result.choices[0]?.message.tool_calls ?? [];
            expect(calls.map((c) => JSON.parse(c.function.arguments))).toEqual([
              { city: "Paris" },
              { city: "Tokyo" },
            ]);
            expect(new Set(calls.map((c) => c.id)).size).toBe(2);
          });
        }

        if (has("streaming")) {
          it("streams tool-call arguments in pieces that accumulate to the whole call", async () => {
            const args = { city: "San Francisco", unit: "celsius", note: "arguments long enough to split" };
            server.enqueue({ kind: "tool_calls", calls: [{ name: "get_weather", arguments: args }] });
            const result = await accumulateStream(model.stream(ask("Weather?", { tools: [weatherTool] })));
            const call = result.choices[0]?.message.tool_calls?.[0];
            expect(call?.function.name).toBe("get_weather");
            expect(JSON.parse(call?.function.arguments ?? "")).toEqual(args);
            expect(result.choices[0]?.finish_reason).toBe("tool_calls");
          });

          if (has("parallel_tool_calls")) {
            it("streams parallel tool calls, including one without arguments", async () => {
              server.enqueue({
                kind: "tool_calls",
                calls: [
                  { name: "get_weather", arguments: { city: "Oslo" } },
                  { name: "get_time", arguments: {} },
                ],
              });
              const result = await accumulateStream(
                model.stream(ask("Weather and time?", { tools: [weatherTool, timeTool] })),
              );
              const calls = result.choices[0]?.message.tool_calls ?? [];
              expect(calls.map((c) => c.function.name)).toEqual(["get_weather", "get_time"]);
              expect(JSON.parse(calls[0]?.function.arguments ?? "")).toEqual({ city: "Oslo" });
              expect(JSON.parse(calls[1]?.function.arguments || "{}")).toEqual({});
            });
          }
        }

        if (has("tool_choice")) {
          it("sends tool_choice required and a named tool", async () => {
            await model.chat(ask("Use a tool", { tools: [weatherTool, timeTool], tool_choice: "required" }));
            expect(last().normalized.toolChoice).toBe("required");
            await model.chat(
              ask("Use get_time", {
                tools: [weatherTool, timeTool],
                tool_choice: { type: "function", function: { name: "get_time" } },
              }),
            );
            expect(last().normalized.toolChoice).toEqual({ name: "get_time" });
          });
        }

        it("round-trips tool results: the assistant call and the tool's answer reach the provider", async () => {
          const messages: ChatMessage[] = [
            { role: "user", content: "Weather in Paris?" },
            {
              role: "assistant",
              content: null,
              tool_calls: [
                {
                  id: "call_abc123",
                  type: "function",
                  function: { name: "get_weather", arguments: '{"city":"Paris"}' },
                },
              ],
            },
            { role: "tool", tool_call_id: "call_abc123", content: "Sunny, 21°C" },
          ];
          server.enqueue({ kind: "text", text: "It is sunny in Paris." });
          const result = await model.chat({ messages, tools: [weatherTool] });
          expect(result.choices[0]?.message.content).toBe("It is sunny in Paris.");
          const sent = last().normalized.messages;
          const assistant = sent.find((m) => m.role === "assistant");
          expect(assistant?.toolCalls[0]).toMatchObject({ id: "call_abc123", name: "get_weather" });
          const args = assistant?.toolCalls[0]?.arguments;
          expect(typeof args === "string" ? JSON.parse(args) : args).toEqual({ city: "Paris" });
          const results = sent.flatMap((m) => m.toolResults);
          expect(results).toHaveLength(1);
          expect(results[0]?.toolCallId).toBe("call_abc123");
          expect(results[0]?.text).toContain("Sunny, 21°C");
        });
      });
    }

    if (has("usage")) {
      describe("usage", () => {
        const scripted = { input: 100, output: 20, cacheRead: 40, cacheWrite: 30, reasoning: 8 };
        const cacheRead = has("cache_read_usage") ? scripted.cacheRead : 0;
        const cacheWrite = has("cache_write_usage") ? scripted.cacheWrite : 0;
        const check = (usage: import("@llmux/core").Usage | undefined) => {
          expect(usage).toBeDefined();
          // `input` is the uncached input; prompt_tokens counts every input token (OpenAI shape).
          expect(usage?.prompt_tokens).toBe(scripted.input + cacheRead + cacheWrite);
          expect(usage?.completion_tokens).toBe(scripted.output);
          expect(usage?.total_tokens).toBe(scripted.input + cacheRead + cacheWrite + scripted.output);
          if (cacheRead) expect(usage?.prompt_tokens_details?.cached_tokens).toBe(cacheRead);
          if (cacheWrite) expect(usage?.prompt_tokens_details?.cache_write_tokens).toBe(cacheWrite);
          if (has("reasoning_usage"))
            expect(usage?.completion_tokens_details?.reasoning_tokens).toBe(scripted.reasoning);
        };
        it("maps usage on a whole response", async () => {
          server.enqueue({ kind: "text", text: "counted", usage: scripted });
          check((await model.chat(ask("Count"))).usage);
        });
        if (has("streaming")) {
          it("maps usage at the end of a stream", async () => {
            server.enqueue({ kind: "text", text: "counted", usage: scripted });
            check((await accumulateStream(model.stream(ask("Count")))).usage);
          });
        }
      });
    }

    describe("finish reasons", () => {
      const cases: Array<["length" | "content_filter", ConformanceFeature]> = [
        ["length", "finish_length"],
        ["content_filter", "finish_content_filter"],
      ];
      for (const [reason, feature] of cases) {
        if (!has(feature)) continue;
        it(`maps ${reason}`, async () => {
          server.enqueue({ kind: "text", text: "Partial", finishReason: reason });
          expect((await model.chat(ask("Go"))).choices[0]?.finish_reason).toBe(reason);
          if (has("streaming")) {
            server.enqueue({ kind: "text", text: "Partial", finishReason: reason });
            const result = await accumulateStream(model.stream(ask("Go")));
            expect(result.choices[0]?.finish_reason).toBe(reason);
          }
        });
      }
    });

    if (has("errors")) {
      describe("errors", () => {
        for (const { error, kind } of errorCases) {
          const label = `${error.type}${"status" in error && error.status ? ` ${error.status}` : ""}`;
          it(`maps ${label} to kind ${kind}`, async () => {
            server.enqueue({ kind: "error", error });
            const e = await failure(() => model.chat(ask("Hi")));
            expect(e.kind).toBe(kind);
            expect(e.retryable).toBe(RETRYABLE.has(kind));
            expect(e.provider).toBe(options.provider);
            if (error.type === "rate_limit" && error.retryAfterSeconds !== undefined) {
              expect(e.retryAfterMs).toBe(error.retryAfterSeconds * 1000);
            }
          });
        }
        if (has("streaming")) {
          it("raises a rate limit on a stream before any chunk, with retryAfterMs", async () => {
            server.enqueue({ kind: "error", error: { type: "rate_limit", retryAfterSeconds: 3 } });
            const e = await failure(() => drain(model.stream(ask("Hi"))));
            expect(e.kind).toBe("rate_limit");
            expect(e.retryAfterMs).toBe(3000);
          });
        }
      });
    }

    if (has("faults")) {
      describe("faults", () => {
        const broken: ErrorKind[] = ["invalid_response", "connection"];
        it("a connection reset is a retryable connection error", async () => {
          server.enqueue({ kind: "fault", fault: "reset" });
          const e = await failure(() => model.chat(ask("Hi")));
          expect(e.kind).toBe("connection");
          expect(e.retryable).toBe(true);
        });
        it("invalid JSON in a response is invalid_response", async () => {
          server.enqueue({ kind: "fault", fault: "invalid_json" });
          expect((await failure(() => model.chat(ask("Hi")))).kind).toBe("invalid_response");
        });
        it("an empty 200 body is an error, not an empty answer", async () => {
          server.enqueue({ kind: "fault", fault: "empty_body" });
          expect(broken).toContain((await failure(() => model.chat(ask("Hi")))).kind);
        });
        if (has("streaming")) {
          it("a stream cut mid-way is an error, never a short answer", async () => {
            server.enqueue({ kind: "fault", fault: "cut_stream", afterEvents: 2 });
            expect(broken).toContain((await failure(() => drain(model.stream(ask("Hi"))))).kind);
          });
          it("garbage inside a stream is invalid_response", async () => {
            server.enqueue({ kind: "fault", fault: "invalid_json" });
            expect((await failure(() => drain(model.stream(ask("Hi"))))).kind).toBe("invalid_response");
          });
          it("an empty stream is an error, not an empty answer", async () => {
            server.enqueue({ kind: "fault", fault: "empty_body" });
            expect(broken).toContain((await failure(() => drain(model.stream(ask("Hi"))))).kind);
          });
        }
      });
    }

    describe("cancellation", () => {
      if (has("abort")) {
        it("an aborted call rejects with kind aborted", async () => {
          server.enqueue({ kind: "text", text: "too late", delayMs: 3000 });
          const controller = new AbortController();
          setTimeout(() => controller.abort(), 50);
          const e = await failure(() => model.chat(ask("Hi"), { signal: controller.signal }));
          expect(e.kind).toBe("aborted");
          expect(e.retryable).toBe(false);
        });
        if (has("streaming")) {
          it("aborting mid-stream stops it with kind aborted", async () => {
            server.enqueue({ kind: "text", text: "a slow answer in several parts", chunkDelayMs: 400 });
            const controller = new AbortController();
            const e = await failure(async () => {
              for await (const _chunk of model.stream(ask("Hi"), { signal: controller.signal })) {
                controller.abort();
              }
            });
            expect(e.kind).toBe("aborted");
          });
        }
      }
      if (has("timeout")) {
        it("a call slower than timeoutMs rejects with kind timeout", async () => {
          server.enqueue({ kind: "text", text: "too late", delayMs: 3000 });
          const e = await failure(() => model.chat(ask("Hi"), { timeoutMs: 100 }));
          expect(e.kind).toBe("timeout");
          expect(e.retryable).toBe(true);
        });
      }
    });
  });
}
