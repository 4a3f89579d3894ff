import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOllama, validateOllamaRequest } from "./index.js";

const valid = {
  model: "llama3.2",
  messages: [
    { role: "user", content: "Weather?" },
    {
      role: "assistant",
      content: "",
      tool_calls: [{ function: { name: "get_weather", arguments: { city: "Paris" } } }],
    },
    { role: "tool", content: "sunny", tool_name: "get_weather" },
  ],
  tools: [
    { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } },
  ],
  options: { temperature: 0.2, num_ctx: 4096 },
  keep_alive: "5m",
};

describe("validateOllamaRequest: what /api/chat rejects", () => {
  it("accepts a valid tool round trip", () => {
    expect(validateOllamaRequest(valid)).toBeUndefined();
  });

  it.each([
    ["no model", { ...valid, model: "" }, /model is required/],
    [
      "tool-call arguments as a JSON string",
      {
        ...valid,
        messages: [
          { role: "assistant", content: "", tool_calls: [{ function: { name: "f", arguments: "{}" } }] },
        ],
      },
      /cannot unmarshal string .*arguments/,
    ],
    [
      "content as an array of parts",
      { ...valid, messages: [{ role: "user", content: [{ type: "text", text: "x" }] }] },
      /cannot unmarshal array/,
    ],
    [
      "an unknown role",
      { ...valid, messages: [{ role: "developer", content: "x" }] },
      /invalid role: developer/,
    ],
    ["a keep_alive that is no duration", { ...valid, keep_alive: "forever" }, /invalid duration "forever"/],
    [
      "images that are not base64",
      { ...valid, messages: [{ role: "user", content: "x", images: ["https://example.com/a.png"] }] },
      /illegal base64/,
    ],
    ["options that are not an object", { ...valid, options: "fast" }, /cannot unmarshal string .*options/],
  ])("rejects %s", (_what, body, message) => {
    expect(validateOllamaRequest(body)).toMatch(message);
  });
});

describe("startFakeOllama: the HTTP surface", () => {
  let server: Awaited<ReturnType<typeof startFakeOllama>>;
  beforeAll(async () => {
    server = await startFakeOllama({ models: ["llama3.2:latest"] });
  });
  afterAll(async () => {
    await server.close();
  });

  it("answers / and /api/tags like Ollama", async () => {
    expect(await (await fetch(server.baseURL)).text()).toBe("Ollama is running");
    const tags = (await (await fetch(`${server.baseURL}/api/tags`)).json()) as {
      models: Array<{ name: string }>;
    };
    expect(tags.models.map((m) => m.name)).toEqual(["llama3.2:latest"]);
  });

  it("streams NDJSON by default, one JSON object per line ending with done:true", async () => {
    server.enqueue({ kind: "tool_calls", calls: [{ name: "get_weather", arguments: { city: "Oslo" } }] });
    const res = await fetch(`${server.baseURL}/api/chat`, {
      method: "POST",
      body: JSON.stringify({ model: "llama3.2", messages: [{ role: "user", content: "x" }] }),
    });
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: "stop" });
    expect(lines[0]).toMatchObject({
      message: { tool_calls: [{ function: { name: "get_weather", arguments: { city: "Oslo" } } }] },
    });
  });

  it("an unknown model gets Ollama's 404", async () => {
    const res = await fetch(`${server.baseURL}/api/chat`, {
      method: "POST",
      body: JSON.stringify({ model: "mistral", stream: false }),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'model "mistral" not found, try pulling it first' });
  });
});
