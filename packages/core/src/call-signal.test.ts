import { describe, expect, it } from "vitest";
import { contentToText, createCallSignal, generateId, parseDataUrl } from "./index.js";

const waitAbort = (signal: AbortSignal) =>
  new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));

describe("createCallSignal", () => {
  it("returns no signal when neither abort nor timeout is asked for", () => {
    const call = createCallSignal({});
    expect(call.signal).toBeUndefined();
    expect(call.abortError()).toBeUndefined();
  });

  it("reports a timeout as kind timeout", async () => {
    const call = createCallSignal({ timeoutMs: 5 }, { provider: "openai", model: "gpt-4o" });
    await waitAbort(call.signal!);
    const err = call.abortError(new Error("aborted"));
    expect(err).toMatchObject({ kind: "timeout", provider: "openai", retryable: true });
    expect(err?.message).toBe("openai (gpt-4o) timed out after 5 ms");
    call.dispose();
  });

  it("reports the caller's abort as kind aborted, not retryable", async () => {
    const controller = new AbortController();
    const call = createCallSignal({ signal: controller.signal, timeoutMs: 10_000 });
    controller.abort();
    await Promise.resolve();
    expect(call.signal!.aborted).toBe(true);
    expect(call.abortError()).toMatchObject({ kind: "aborted", retryable: false });
    call.dispose();
  });

  it("is aborted at once when the caller's signal already was", () => {
    const call = createCallSignal({ signal: AbortSignal.abort() });
    expect(call.signal!.aborted).toBe(true);
    expect(call.abortError()?.kind).toBe("aborted");
  });

  it("uses the caller's signal itself when no timeout is asked for, and still names an abort", () => {
    const controller = new AbortController();
    const call = createCallSignal({ signal: controller.signal }, { provider: "openai", model: "gpt-4o" });
    expect(call.signal).toBe(controller.signal);
    expect(call.abortError(new Error("500"))).toBeUndefined();
    controller.abort();
    expect(call.abortError()).toMatchObject({ kind: "aborted", provider: "openai", model: "gpt-4o" });
    expect(call.abortError()?.message).toBe("openai (gpt-4o) was aborted by the caller");
  });

  it("says nothing when the call failed for another reason", () => {
    const call = createCallSignal({ timeoutMs: 10_000 });
    expect(call.abortError(new Error("500"))).toBeUndefined();
    call.dispose();
  });
});

describe("content helpers", () => {
  it("joins text parts and skips images", () => {
    expect(
      contentToText([
        { type: "text", text: "a" },
        { type: "image_url", image_url: { url: "x" } },
        { type: "text", text: "b" },
      ]),
    ).toBe("ab");
    expect(contentToText(null)).toBe("");
  });

  it("parses data URLs and refuses others", () => {
    expect(parseDataUrl("data:image/png;base64,iVBOR")).toEqual({ mediaType: "image/png", base64: "iVBOR" });
    expect(parseDataUrl("https://example.com/a.png")).toBeUndefined();
  });

  it("generates distinct prefixed ids", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => generateId("call")));
    expect(ids.size).toBe(1000);
    expect([...ids][0]).toMatch(/^call_[0-9a-f]{24}$/);
    // Across refills of the random pool (341 ids each) every id is still well formed and distinct.
    const many = Array.from({ length: 5000 }, () => generateId("req"));
    expect(new Set(many).size).toBe(5000);
    expect(many.every((id) => /^req_[0-9a-f]{24}$/.test(id))).toBe(true);
  });
});
