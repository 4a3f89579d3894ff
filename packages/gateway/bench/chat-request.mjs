import { Pool } from "undici";

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

/**
 * Sends `count` chat requests to the gateway at `origin`, `concurrency` at a time over one undici
 * pool, reading every answer whole. Throws on the first answer that is not HTTP 200.
 */
export async function sendChats(origin, { count, concurrency, stream = false }) {
  const body = chatRequestBody({ stream });
  const headers = { "content-type": "application/json", authorization: "Bearer sk-test" };
  const pool = new Pool(origin, { connections: concurrency });
  let left = count;
  const worker = async () => {
    while (left-- > 0) {
      const r = await pool.request({ path: "/v1/chat/completions", method: "POST", headers, body });
      const text = await r.body.text();
      if (r.statusCode !== 200) throw new Error(`HTTP ${r.statusCode}: ${text.slice(0, 200)}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await pool.close();
  }
}
