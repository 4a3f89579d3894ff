// The time to the first token: a stream's first event leaves the gateway as soon as the model hands
// it over, not with the events the model computes next. The gateway runs in its own process (the
// built package) so that the client here can read while the gateway's event loop is busy.
import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BUSY_MS = 600;
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  child = spawn(
    process.execPath,
    [fileURLToPath(new URL("./fixtures/serve-busy-stream.mjs", import.meta.url))],
    {
      env: { ...process.env, BUSY_MS: String(BUSY_MS) },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the gateway exited (${code})`)));
    child.stdout!.on("data", (d: Buffer) => {
      const line = d.toString().trim();
      if (line.startsWith("http://")) resolve(line);
    });
  });
});
afterAll(() => {
  child?.kill("SIGTERM");
});

/** Sends one streamed chat request; resolves to when the first event and the end arrived (ms), and the text. */
function stream(): Promise<{ firstMs: number; endMs: number; text: string }> {
  const body = JSON.stringify({ model: "busy", messages: [{ role: "user", content: "Hi" }], stream: true });
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstMs: number | undefined;
    let text = "";
    const req = request(
      `${url}/v1/chat/completions`,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.setEncoding("utf8");
        res.on("data", (s: string) => {
          if (firstMs === undefined && s.includes("data:")) firstMs = performance.now() - started;
          text += s;
        });
        res.on("end", () =>
          resolve({ firstMs: firstMs ?? Number.NaN, endMs: performance.now() - started, text }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("the first event of a stream", () => {
  it("reaches the client before the model has computed the rest", async () => {
    const { firstMs, endMs, text } = await stream();
    expect(text).toContain('"content":"first"');
    expect(text).toContain('"content":" rest"');
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    // Held back with the rest, the first event would arrive with the end, ≈BUSY_MS after it.
    expect(endMs - firstMs).toBeGreaterThan(BUSY_MS / 3);
  });
});
