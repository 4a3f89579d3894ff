import { describe, expect, it } from "vitest";
import { GatewayActivity, type RequestRecord } from "../src/index.js";

let n = 0;
const rec = (over: Partial<RequestRecord> = {}): RequestRecord => ({
  id: `req_${++n}`,
  time: Date.now(),
  model: "gpt-4o",
  deployment: "primary",
  provider: "openai",
  key: null,
  status: 200,
  stream: false,
  latencyMs: 10,
  promptTokens: 100,
  completionTokens: 10,
  costUsd: 0.001,
  ...over,
});

describe("GatewayActivity", () => {
  it("keeps the last `size` requests, newest first, and forgets older ones", () => {
    const a = new GatewayActivity(3);
    expect(a.recent()).toEqual([]);
    const records = [rec(), rec(), rec(), rec(), rec()];
    for (const r of records) a.record(r);
    expect(a.recent().map((r) => r.id)).toEqual([records[4]!.id, records[3]!.id, records[2]!.id]);
    expect(a.recent(2)).toEqual([records[4], records[3]]);
    expect(a.recent(0)).toEqual([]);
    expect(a.get(records[2]!.id)).toEqual(records[2]);
    expect(a.get(records[0]!.id)).toBeUndefined(); // evicted
    expect(a.get("")).toBeUndefined();
  });

  it("gives back every record exactly, whatever its size and characters, as slots are reused", () => {
    const a = new GatewayActivity(2);
    // Sizes around the slots' 1 KiB start and their doublings, with 1- to 4-byte characters that
    // land on every position near a slot's end.
    for (const size of [0, 900, 1000, 1020, 1030, 2040, 2050, 5000, 300, 70_000, 10]) {
      for (const ch of ["a", "é", "€", "😀"]) {
        for (let pad = 0; pad < 4; pad++) {
          const r = rec({ model: "x".repeat(pad) + ch.repeat(Math.ceil(size / ch.length)) });
          a.record(r);
          expect(a.get(r.id)).toEqual(r);
          expect(a.recent(1)).toEqual([r]);
        }
      }
    }
  });

  it("hands out copies: changing a returned record changes nothing stored", () => {
    const a = new GatewayActivity(2);
    const r = rec({ trace: { steps: [] } });
    a.record(r);
    const [copy] = a.recent();
    copy!.model = "changed";
    expect(a.recent()[0]!.model).toBe("gpt-4o");
  });

  it("adds up usage per model, deployment and key since it started, beyond the ring", () => {
    const a = new GatewayActivity(1);
    a.record(rec());
    a.record(rec({ key: "team-a", costUsd: 0.002 }));
    a.record(rec({ model: "gpt-4o-mini", deployment: "backup", key: "team-a", costUsd: null }));
    a.record(
      rec({
        deployment: null,
        errorKind: "server",
        status: 502,
        costUsd: undefined,
        promptTokens: undefined,
      }),
    );
    const u = a.usage();
    expect(u.since).toBeLessThanOrEqual(Date.now());
    expect(u.total).toMatchObject({ requests: 4, errors: 1, promptTokens: 300, unpricedRequests: 1 });
    expect(u.total.costUsd).toBeCloseTo(0.003, 9);
    expect(u.byModel["gpt-4o"]).toMatchObject({ requests: 3, errors: 1 });
    expect(u.byModel["gpt-4o-mini"]).toMatchObject({ requests: 1, unpricedRequests: 1, costUsd: 0 });
    expect(u.byDeployment).toMatchObject({
      primary: { requests: 2 },
      backup: { requests: 1 },
      "-": { requests: 1 },
    });
    expect(u.byKey["team-a"]!.requests).toBe(2);
    expect(u.byKey["-"]!.requests).toBe(2);
    expect(u.total.latencyMsTotal).toBe(40);
  });

  it("keeps names apart whatever characters they contain", () => {
    const a = new GatewayActivity();
    a.record(rec({ model: "a\nb", deployment: "c" }));
    a.record(rec({ model: "a", deployment: "b\nc" }));
    expect(Object.keys(a.usage().byModel).sort()).toEqual(["a", "a\nb"]);
  });

  it("tells listeners about each new request until they unsubscribe", () => {
    const a = new GatewayActivity();
    const seen: string[] = [];
    const off = a.subscribe((r, json) => {
      expect(JSON.parse(json)).toEqual(r);
      seen.push(r.id);
    });
    expect(a.listenerCount).toBe(1);
    const r = rec();
    a.record(r);
    off();
    a.record(rec());
    expect(seen).toEqual([r.id]);
    expect(a.listenerCount).toBe(0);
  });

  it("rejects a size that is not a positive integer", () => {
    expect(() => new GatewayActivity(0)).toThrow(/positive integer/);
    expect(() => new GatewayActivity(1.5)).toThrow(/positive integer/);
  });
});
