import { EventStreamCodec } from "@smithy/eventstream-codec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeBedrock, validateBedrockRequest } from "./index.js";

const spec = (name: string, description?: string) => ({
  toolSpec: {
    name,
    ...(description === undefined ? {} : { description }),
    inputSchema: { json: { type: "object", properties: {} } },
  },
});
const valid = {
  messages: [
    { role: "user", content: [{ text: "Weather?" }] },
    {
      role: "assistant",
      content: [{ toolUse: { toolUseId: "tooluse_1", name: "get_weather", input: { city: "Paris" } } }],
    },
    {
      role: "user",
      content: [{ toolResult: { toolUseId: "tooluse_1", content: [{ text: "sunny" }], status: "success" } }],
    },
  ],
  toolConfig: { tools: [spec("get_weather", "Weather for a city")] },
};

describe("validateBedrockRequest: what Converse rejects", () => {
  it("accepts a valid tool round trip", () => {
    expect(validateBedrockRequest(valid)).toBeUndefined();
  });

  it.each([
    [
      "a conversation starting with the assistant",
      { messages: [{ role: "assistant", content: [{ text: "hi" }] }] },
      /must start with a user message/,
    ],
    [
      "two user turns in a row",
      {
        messages: [
          { role: "user", content: [{ text: "a" }] },
          { role: "user", content: [{ text: "b" }] },
        ],
      },
      /must alternate/,
    ],
    ["a blank text block", { messages: [{ role: "user", content: [{ text: " " }] }] }, /is blank/],
    [
      "redacted reasoning that is not the base64 it arrived as",
      {
        ...valid,
        messages: [
          valid.messages[0],
          {
            role: "assistant",
            content: [
              { reasoningContent: { redactedContent: "not base64!" } },
              valid.messages[1]!.content[0],
            ],
          },
          valid.messages[2],
        ],
      },
      /Invalid `data` in `redacted_thinking` block/,
    ],
    [
      "an empty description",
      { ...valid, toolConfig: { tools: [spec("get_weather", "")] } },
      /description' failed to satisfy constraint: Member must have length greater than or equal to 1/,
    ],
    [
      "a tool name with a dot",
      { ...valid, toolConfig: { tools: [spec("crm.get", "x")] } },
      /Member must satisfy regular expression pattern: \[a-zA-Z0-9_-\]\+/,
    ],
    [
      "a tool name longer than 64",
      { ...valid, toolConfig: { tools: [spec("x".repeat(65), "x")] } },
      /length less than or equal to 64/,
    ],
    [
      "toolUse blocks without a toolConfig",
      { ...valid, toolConfig: undefined },
      /toolConfig field must be defined/,
    ],
    [
      "a toolResult whose id matches no toolUse",
      {
        ...valid,
        messages: [
          valid.messages[0],
          valid.messages[1],
          { role: "user", content: [{ toolResult: { toolUseId: "tooluse_2", content: [{ text: "x" }] } }] },
        ],
      },
      /Expected toolResult blocks at messages.2.content for the following Ids: tooluse_1/,
    ],
    [
      "a toolResult status that is not success/error",
      {
        ...valid,
        messages: [
          valid.messages[0],
          valid.messages[1],
          {
            role: "user",
            content: [{ toolResult: { toolUseId: "tooluse_1", content: [{ text: "x" }], status: "failed" } }],
          },
        ],
      },
      /enum value set: \[success, error\]/,
    ],
    [
      "a toolUseId with a colon",
      {
        ...valid,
        messages: [
          valid.messages[0],
          {
            role: "assistant",
            content: [{ toolUse: { toolUseId: "fn:0", name: "get_weather", input: {} } }],
          },
        ],
      },
      /toolUseId/,
    ],
  ])("rejects %s", (_what, body, message) => {
    expect(validateBedrockRequest(body)).toMatch(message);
  });
});

describe("startFakeBedrock: the HTTP surface", () => {
  let server: Awaited<ReturnType<typeof startFakeBedrock>>;
  beforeAll(async () => {
    server = await startFakeBedrock();
  });
  afterAll(async () => {
    await server.close();
  });
  const post = (
    path: string,
    body: unknown,
    auth = "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/bedrock/aws4_request",
  ) =>
    fetch(`${server.baseURL}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: auth },
      body: JSON.stringify(body),
    });

  it("errors carry x-amzn-errortype and a {message} body", async () => {
    const res = await post("/model/m/converse", { messages: [] });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toMatch(/^ValidationException:/);
    expect(await res.json()).toEqual({ message: expect.stringMatching(/must start with a user message/) });
    const unsigned = await post("/model/m/converse", valid, "");
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get("x-amzn-errortype")).toMatch(/^UnrecognizedClientException:/);
  });

  it("ConverseStream answers binary event-stream frames that decode to the Converse events", async () => {
    server.enqueue({ kind: "text", text: "hello" });
    const res = await post("/model/amazon.nova-micro-v1%3A0/converse-stream", {
      messages: [{ role: "user", content: [{ text: "hi" }] }],
    });
    expect(res.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
    const bytes = new Uint8Array(await res.arrayBuffer());
    const codec = new EventStreamCodec(
      (b) => Buffer.from(b).toString("utf8"),
      (s) => new Uint8Array(Buffer.from(s)),
    );
    const types: string[] = [];
    for (let offset = 0; offset < bytes.length; ) {
      const length = new DataView(bytes.buffer, bytes.byteOffset + offset).getUint32(0);
      const message = codec.decode(bytes.subarray(offset, offset + length));
      types.push(String(message.headers[":event-type"]?.value));
      offset += length;
    }
    expect(types[0]).toBe("messageStart");
    expect(types.slice(-2)).toEqual(["messageStop", "metadata"]);
    expect(server.requests.at(-1)!.normalized.model).toBe("amazon.nova-micro-v1:0");
  });
});
