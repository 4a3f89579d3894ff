// The chat request every gateway bench sends: the body of ../shared/tools/peers/bench.mjs (a system and
// a user message, one tool, 32 tokens at most), as JSON text; `stream` asks for SSE with usage.
export function chatRequestBody({ model = "gpt-4o-mini", stream = false } = {}) {
  return JSON.stringify({
    model,
    messages: [
      { role: "system", content: "You are a terse assistant." },
      { role: "user", content: "What is the weather in Paris?" },
    ],
    tools: [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Get weather for a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      },
    ],
    max_tokens: 32,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}
