// What only the "http" transport has to get right itself (the SDK does it for the "sdk" one):
// connections go back to the pool, and a stream the caller stops is closed at the provider.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ChatChunk, chunkBatches } from "@llmux/core";
import { Agent, type Dispatcher } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAI } from "../src/index.js";

const chunk = (content: string, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;

/** A whole JSON answer saying "ok". */
function answerOk(res: ServerResponse) {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      id: "r",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
    }),
  );
}

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

async function serve(
  handle: (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => void,
  dispatcher?: Dispatcher,
) {
  const stats = { connections: 0, closedEarly: 0 };
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (d: Buffer) => {
      text += d.toString();
    });
    req.on("end", () => handle(req, res, JSON.parse(text) as Record<string, unknown>));
    res.on("close", () => {
      if (!res.writableFinished) stats.closedEarly++;
    });
  });
  server.on("connection", () => stats.connections++);
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const model = createOpenAI({
    transport: "http",
    apiKey: "k",
    baseURL: `http://127.0.0.1:${port}/v1`,
    ...(dispatcher ? { dispatcher } : {}),
  }).chatModel("m");
  return { stats, model };
}

const messages = [{ role: "user" as const, content: "Hi" }];

describe('the "http" transport', () => {
  it("reuses its connections for calls in a row, JSON and streams read to the end", async () => {
    const { stats, model } = await serve((_req, res, body) => {
      if (body.stream) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(chunk("a"));
        res.write(chunk("b", "stop"));
        res.end("data: [DONE]\n\n");
      } else {
        answerOk(res);
      }
    });
    for (let i = 0; i < 5; i++) {
      expect((await model.chat({ messages })).choices[0]?.message.content).toBe("ok");
      let text = "";
      for await (const c of model.stream({ messages })) text += c.choices[0]?.delta.content ?? "";
      expect(text).toBe("ab");
    }
    // Ten calls; a transport that lost its connections would open ten (the pool may hold two
    // while one is being handed back).
    expect(stats.connections).toBeLessThanOrEqual(2);
  });

  it("hands a stream over in the batches it arrived in, the first event alone", async () => {
    const { model } = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunk("a") + chunk("b") + chunk("c"));
      setTimeout(() => res.end(chunk("d") + chunk("e", "stop") + "data: [DONE]\n\n"), 30);
    });
    const batches: string[][] = [];
    for await (const batch of chunkBatches(model.stream({ messages })))
      batches.push(batch.map((c) => c.choices[0]?.delta.content ?? ""));
    // The first token does not wait for the parsing of the events that came with it.
    expect(batches).toEqual([["a"], ["b", "c"], ["d", "e"]]);
  });

  it("finds the first event's end with any of SSE's line endings, and loses nothing around it", async () => {
    for (const eol of ["\n", "\r\n", "\r"]) {
      const { model } = await serve((_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        // A comment first, then events split by the line ending under test, all in one write.
        const events = [
          ": keep-alive",
          chunk("a").trim(),
          chunk("b").trim(),
          chunk("c", "stop").trim(),
          "data: [DONE]",
        ];
        res.end(events.map((e) => `${e}${eol}${eol}`).join(""));
      });
      const batches: string[][] = [];
      for await (const batch of chunkBatches(model.stream({ messages })))
        batches.push(batch.map((c) => c.choices[0]?.delta.content ?? ""));
      expect(batches.flat(), JSON.stringify(eol)).toEqual(["a", "b", "c"]);
      const s = server!;
      server = undefined;
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  it("closes the provider's response when the caller stops reading, so the model stops generating", async () => {
    const { stats, model } = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const timer = setInterval(() => res.write(chunk("more ")), 5);
      res.on("close", () => clearInterval(timer));
    });
    for await (const c of model.stream({ messages })) {
      expect(c.choices[0]?.delta.content).toBe("more ");
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(stats.closedEarly).toBe(1);
  });

  it("stops reading from the provider while the caller is not reading, and loses nothing", async () => {
    const total = 4000; // ≈ 36 MB: more than the kernel's socket buffers hold
    const filler = "x".repeat(9000);
    const server = { written: 0 };
    const { model } = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const pump = () => {
        while (server.written < total) {
          const last = ++server.written === total;
          const ok = res.write(chunk(`${server.written} ${filler}`, last ? "stop" : null));
          if (!ok) {
            res.once("drain", pump);
            return;
          }
        }
        res.end("data: [DONE]\n\n");
      };
      pump();
    });
    const iterator = chunkBatches(model.stream({ messages }))[Symbol.asyncIterator]();
    let next = 1; // every event arrives, once, in order
    const check = (batch: readonly ChatChunk[]) => {
      for (const c of batch) expect(Number(c.choices[0]?.delta.content?.split(" ")[0])).toBe(next++);
    };
    const first = await iterator.next();
    check(first.value ?? []);
    // The caller is busy: once the buffers between them are full, the provider must wait.
    await new Promise((r) => setTimeout(r, 300));
    const stalledAt = server.written;
    await new Promise((r) => setTimeout(r, 200));
    expect(server.written).toBe(stalledAt);
    expect(stalledAt).toBeLessThan(total);
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) check(step.value);
    expect(next).toBe(total + 1);
  });

  it("aborts a call that is still waiting for the provider's headers", async () => {
    const { stats, model } = await serve(() => {
      // never answers
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(model.chat({ messages }, { signal: controller.signal })).rejects.toMatchObject({
      kind: "aborted",
    });
    const streamed = (async () => {
      for await (const _ of model.stream({ messages }, { signal: AbortSignal.timeout(50) })) {
        // nothing arrives
      }
    })();
    await expect(streamed).rejects.toMatchObject({ kind: "aborted" });
    await new Promise((r) => setTimeout(r, 50));
    expect(stats.closedEarly).toBe(2); // both requests were closed at the provider
  });

  it("reports undici's header and body timeouts as kind timeout", async () => {
    // A dispatcher from undici's index: its errors are recognised as the transport's own.
    const agent = new Agent({ headersTimeout: 100, bodyTimeout: 100 });
    const { model } = await serve((_req, res, body) => {
      if (body.stream) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(chunk("a")); // then nothing more
      } // a JSON call never gets its headers
    }, agent);
    await expect(model.chat({ messages })).rejects.toMatchObject({ kind: "timeout", provider: "openai" });
    const seen: string[] = [];
    const streamed = (async () => {
      for await (const c of model.stream({ messages })) seen.push(c.type);
    })();
    await expect(streamed).rejects.toMatchObject({ kind: "timeout" });
    expect(seen.length).toBeGreaterThan(0);
    await agent.close();
  });

  it("sends through the dispatcher it is given", async () => {
    const seen: string[] = [];
    const agent = new Agent().compose((dispatch) => (options, handler) => {
      seen.push(`${options.method} ${options.path}`);
      return dispatch(options, handler);
    });
    const { model } = await serve((_req, res) => {
      answerOk(res);
    }, agent);
    expect((await model.chat({ messages })).choices[0]?.message.content).toBe("ok");
    expect(seen).toEqual(["POST /v1/chat/completions"]);
  });

  it("refuses a base URL that is not http(s)", async () => {
    const model = createOpenAI({ transport: "http", apiKey: "k", baseURL: "ftp://example.com/v1" }).chatModel(
      "m",
    );
    await expect(model.chat({ messages })).rejects.toMatchObject({ kind: "bad_request", param: "baseURL" });
  });
});
