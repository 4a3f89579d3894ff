import { describe, expect, it } from "vitest";
import { accumulateStream, batchedChatStream, type ChatChunk, chunkBatches } from "./index.js";

const chunk = (content: string, finish: "stop" | null = null): ChatChunk => ({
  id: "c",
  object: "chat.completion.chunk",
  created: 0,
  model: "m",
  choices: [{ index: 0, delta: { content }, finish_reason: finish }],
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

describe("batched chat streams", () => {
  const source = async function* () {
    yield [chunk("a"), chunk("b")];
    yield [chunk("c", "stop")];
  };

  it("read batch by batch keep the batches; read chunk by chunk give every chunk in order", async () => {
    expect((await collect(chunkBatches(batchedChatStream(source)))).map((b) => b.length)).toEqual([2, 1]);
    const result = await accumulateStream(batchedChatStream(source));
    expect(result.choices[0]?.message.content).toBe("abc");
  });

  it("start their source only when read, and can be read once", async () => {
    let started = 0;
    const stream = batchedChatStream(async function* () {
      started++;
      yield [chunk("x", "stop")];
    });
    expect(started).toBe(0);
    await collect(stream);
    expect(started).toBe(1);
    await expect(collect(stream)).rejects.toMatchObject({
      kind: "bad_request",
      message: expect.stringContaining("already read"),
    });
  });

  it("chunkBatches turns any plain stream into one-chunk batches", async () => {
    const plain = (async function* () {
      yield chunk("a");
      yield chunk("b", "stop");
    })();
    expect(
      (await collect(chunkBatches(plain))).map((b) => b.map((c) => c.choices[0]?.delta.content)),
    ).toEqual([["a"], ["b"]]);
  });
});
