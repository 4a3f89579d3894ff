import type { ChatChunk } from "./chat-types.js";
import { LlmuxError } from "./llmux-error.js";

/**
 * The optional batch view of a chat stream. A provider reads several events per network read;
 * handing them over one `await` at a time, through every layer (adapter → router → gateway), costs
 * more than the events themselves. A stream that carries this method hands them over as they
 * arrived instead: one batch per read. `ChatModel.stream` still returns a plain
 * `AsyncIterable<ChatChunk>`; layers that care read `chunkBatches(stream)`.
 */
export const CHUNK_BATCHES: unique symbol = Symbol.for("llmux.chunkBatches");

/** A chat stream that can also be read in batches (see `CHUNK_BATCHES`). */
export interface BatchedChatStream extends AsyncIterable<ChatChunk> {
  [CHUNK_BATCHES](): AsyncIterable<readonly ChatChunk[]>;
}

async function* oneByOne(stream: AsyncIterable<ChatChunk>): AsyncGenerator<readonly ChatChunk[]> {
  for await (const chunk of stream) yield [chunk];
}

/**
 * The chunks of any chat stream in batches: the stream's own batches when it has them, else one
 * chunk per batch. Read a stream either this way or chunk by chunk, once.
 *
 * @example
 * for await (const batch of chunkBatches(model.stream(request))) for (const chunk of batch) …
 */
export function chunkBatches(stream: AsyncIterable<ChatChunk>): AsyncIterable<readonly ChatChunk[]> {
  const batches = (stream as Partial<BatchedChatStream>)[CHUNK_BATCHES];
  return typeof batches === "function" ? batches.call(stream) : oneByOne(stream);
}

/**
 * Builds a chat stream from a source of batches: iterable chunk by chunk (what every consumer
 * understands) and batch by batch (`chunkBatches`). The source starts when the stream is first
 * read, and the stream can be read once.
 *
 * @example
 * stream(request) { return batchedChatStream(() => this.streamBatches(request)); }
 */
export function batchedChatStream(source: () => AsyncIterable<readonly ChatChunk[]>): BatchedChatStream {
  let read = false;
  const open = () => {
    if (read) {
      throw new LlmuxError({
        kind: "bad_request",
        message: "this chat stream was already read: call stream() again for another answer",
      });
    }
    read = true;
    return source();
  };
  return {
    [CHUNK_BATCHES]: open,
    async *[Symbol.asyncIterator]() {
      for await (const batch of open()) for (const chunk of batch) yield chunk;
    },
  };
}
