import type { ChatMessage } from "@llmux/core";
import { afterAll, describe, expect, it } from "vitest";
import { createRedisState, createRouter, type Router } from "../src/index.js";
import { fail, recordingModel } from "./recording-model.js";

const url = process.env.LLMUX_TEST_REDIS_URL;
if (!url) {
  throw new Error(
    "LLMUX_TEST_REDIS_URL is not set: these tests need a real redis-server. Run them with `npm test` or `node scripts/with-services.mjs -- pnpm vitest run --project @llmux/router`.",
  );
}
const user = (content: string): ChatMessage[] => [{ role: "user", content }];
const routers: Router[] = [];
afterAll(async () => {
  for (const r of routers) await r.close();
});

describe("two router instances sharing Redis", () => {
  it("respect one rpm limit between them", async () => {
    const prefix = `test:${Date.now()}:${Math.random()}:`;
    const make = () => {
      const r = createRouter({
        deployments: [
          { id: "limited", group: "g", model: recordingModel("openai/a"), rpm: 3, order: 1 },
          { id: "overflow", group: "g", model: recordingModel("openai/b"), order: 2 },
        ],
        state: createRedisState({ url, prefix }),
      });
      routers.push(r);
      return r;
    };
    const [a, b] = [make(), make()];
    const used: string[] = [];
    for (let i = 0; i < 6; i++)
      used.push(String((await (i % 2 ? b : a).chat({ messages: user("x") })).llmux?.deployment));
    expect(used.filter((d) => d === "limited")).toHaveLength(3);
    expect(used.filter((d) => d === "overflow")).toHaveLength(3);
  });

  it("share one cooldown: failures seen by one instance make the other skip the deployment", async () => {
    const prefix = `test:${Date.now()}:${Math.random()}:`;
    const flakyA = recordingModel("openai/flaky", [fail("server")]);
    const flakyB = recordingModel("openai/flaky", [fail("server")]);
    const make = (flaky: typeof flakyA) => {
      const r = createRouter({
        deployments: [
          { id: "flaky", group: "g", model: flaky, order: 1 },
          { id: "steady", group: "g", model: recordingModel("openai/steady"), order: 2 },
        ],
        cooldown: { allowedFails: 1, cooldownMs: 60_000 },
        retry: { numRetries: 1, baseDelayMs: 1 },
        state: createRedisState({ url, prefix }),
      });
      routers.push(r);
      return r;
    };
    const a = make(flakyA);
    const b = make(flakyB);
    await a.chat({ messages: user("x") });
    await a.chat({ messages: user("x") });
    expect(flakyA.requests.length).toBe(2);
    const r = await b.chat({ messages: user("x") });
    expect(r.llmux?.deployment).toBe("steady");
    expect(flakyB.requests).toHaveLength(0);
  });
});
