import { describe, expect, it } from "vitest";
import { holdTickObject } from "../src/hold-tick-object.js";

describe("holdTickObject", () => {
  it("holds one of Node's tick objects, the same one on every call", () => {
    const held = holdTickObject();
    expect(held).toBeTypeOf("object");
    expect((held as { callback?: unknown }).callback).toBeTypeOf("function");
    expect(holdTickObject()).toBe(held);
  });

  it("leaves process.nextTick working, with its arguments", async () => {
    holdTickObject();
    const got = await new Promise<unknown[]>((resolve) => process.nextTick((...a) => resolve(a), 1, "two"));
    expect(got).toEqual([1, "two"]);
  });
});
