import { accumulateStream, isLlmuxError, type LlmuxError } from "@llmux/core";
import { type FakeBedrockServer, startFakeBedrock } from "@llmux/provider-testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBedrock } from "../src/index.js";

let server: FakeBedrockServer;
const messages = [{ role: "user" as const, content: "What is the temperature in the capital of France?" }];
const credentials = { accessKeyId: "AKIDFAKEFAKEFAKE", secretAccessKey: "fake-secret" };

beforeAll(async () => {
  server = await startFakeBedrock();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

const model = (id = "amazon.nova-micro-v1:0") =>
  createBedrock({ region: "us-east-1", endpoint: server.baseURL, credentials })(id);

async function failure(promise: Promise<unknown>): Promise<LlmuxError> {
  try {
    await promise;
  } catch (error) {
    if (isLlmuxError(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("recorded Bedrock responses replayed through the fake server", () => {
  it("the recorded event-stream bytes decode (by the SDK) into text, a tool call and usage", async () => {
    server.enqueue({ kind: "recorded", fixture: "converse-stream-tool-use.eventstream" });
    const result = await accumulateStream(model().stream({ messages }));
    const message = result.choices[0]!.message;
    expect(message.content).toMatch(/^<thinking> To find the temperature of the capital of France/);
    expect(message.tool_calls).toEqual([
      {
        id: "tooluse_lAG_zP8QRHmSYOwZzzaCqA",
        type: "function",
        function: { name: "get_temperature", arguments: '{"city":"Paris"}' },
      },
    ]);
    expect(result.choices[0]!.finish_reason).toBe("tool_calls");
    expect(result.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(server.requests[0]!.path).toBe("/model/amazon.nova-micro-v1%3A0/converse-stream");
  });

  it("the same stream re-encoded from its decoded events gives the same answer", async () => {
    server.enqueue(
      { kind: "recorded", fixture: "converse-stream-tool-use.eventstream" },
      { kind: "recorded", fixture: "converse-stream-tool-use.events.jsonl" },
    );
    const a = await accumulateStream(model().stream({ messages }));
    const b = await accumulateStream(model().stream({ messages }));
    expect(b.choices[0]!.message.tool_calls).toEqual(a.choices[0]!.message.tool_calls);
    expect(b.choices[0]!.message.content).toBe(a.choices[0]!.message.content);
    expect(b.usage).toEqual(a.usage);
  });

  it('a tool without arguments (empty input delta) gets "{}"', async () => {
    server.enqueue({ kind: "recorded", fixture: "converse-stream-tool-no-args.chunks.txt" });
    const result = await accumulateStream(model().stream({ messages }));
    expect(result.choices[0]!.message.content).toBe("I'll update the issue list for you.");
    expect(result.choices[0]!.message.tool_calls).toEqual([
      { id: "tool-use-id", type: "function", function: { name: "updateIssueList", arguments: "{}" } },
    ]);
    expect(result.usage).toEqual({ prompt_tokens: 100, completion_tokens: 25, total_tokens: 125 });
  });

  it("cache writes are counted in prompt_tokens and reported as cache_write_tokens", async () => {
    server.enqueue({ kind: "recorded", fixture: "converse-cache-write.json" });
    const result = await model("anthropic.claude-sonnet-4-5-v1:0").chat({ messages });
    expect(result.choices[0]!.message.content).toBe("21");
    expect(result.usage).toEqual({
      prompt_tokens: 1324,
      completion_tokens: 5,
      total_tokens: 1329,
      prompt_tokens_details: { cache_write_tokens: 1322 },
    });
  });

  it("reasoning content and a tool id with dots and a colon come back as given", async () => {
    server.enqueue({ kind: "recorded", fixture: "converse-tool-use-reasoning.json" });
    const result = await model("moonshotai.kimi-k2-thinking").chat({ messages });
    const message = result.choices[0]!.message;
    expect(message.reasoning_content).toMatch(/current temperature in London/);
    expect(message.tool_calls![0]!.id).toBe("functions.get_temperature:0");
    expect(JSON.parse(message.tool_calls![0]!.function.arguments)).toEqual({ city: "London" });
  });

  it("that id sent back in the history is rewritten to one Bedrock accepts, matching its toolResult", async () => {
    const result = await model().chat({
      messages: [
        ...messages,
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "functions.get_temperature:0",
              type: "function",
              function: { name: "get_temperature", arguments: '{"city":"London"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "functions.get_temperature:0", content: "12°C" },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "get_temperature",
            parameters: { type: "object", properties: { city: { type: "string" } } },
          },
        },
      ],
    });
    expect(result.choices[0]!.message.content).toBe("ok");
    const sent = server.requests[0]!.normalized.messages;
    expect(sent[1]!.toolCalls[0]!.id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(sent[2]!.toolResults[0]!.toolCallId).toBe(sent[1]!.toolCalls[0]!.id);
  });

  it("the recorded invalid-model error body maps to a bad_request naming the problem", async () => {
    server.enqueueException("ValidationException", "The provided model identifier is invalid.");
    const error = await failure(model("not-a-model").chat({ messages }));
    expect(error.kind).toBe("bad_request");
    expect(error.code).toBe("ValidationException");
    expect(error.message).toMatch(/The provided model identifier is invalid/);
  });
});
