import type { DestinationStream } from "pino";

/** Where the batches go: a pino destination (SonicBoom), which handles partial writes and EAGAIN. */
export interface LogSink {
  write(chunk: string): unknown;
  flushSync(): void;
}

export interface BatchedLogStream extends DestinationStream {
  /** Writes what is waiting, now. */
  flushSync(): void;
  /** Stops the flush timer after writing what is waiting. */
  close(): void;
}

/**
 * A pino destination that gathers log lines and hands them to `sink` in batches of about
 * `batchBytes` characters, and at least every `flushMs` so a quiet gateway's lines still show up
 * promptly. A line costs an array push: SonicBoom's own buffering (`minLength`) measures its whole
 * buffer on every write, which cost more per request than building the line.
 */
export function batchedLogStream(
  sink: LogSink,
  { batchBytes = 4096, flushMs = 500 }: { batchBytes?: number; flushMs?: number } = {},
): BatchedLogStream {
  let lines: string[] = [];
  let size = 0;
  const flushSync = () => {
    if (lines.length === 0) return;
    const batch = lines.join("");
    lines = [];
    size = 0;
    sink.write(batch);
  };
  const timer = setInterval(flushSync, flushMs);
  timer.unref();
  const stream: BatchedLogStream = {
    write(line: string) {
      lines.push(line);
      size += line.length;
      if (size >= batchBytes) flushSync();
    },
    flushSync() {
      flushSync();
      sink.flushSync();
    },
    close() {
      clearInterval(timer);
      stream.flushSync();
    },
  };
  return stream;
}
