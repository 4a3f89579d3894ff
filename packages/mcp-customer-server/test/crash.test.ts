import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../src/index.js";
import { call, connectHttp, freshStorage, startHttp } from "./server-process.js";

describe("durability", () => {
  it("keeps every acknowledged ticket after kill -9 during a burst", async () => {
    const data = freshStorage("sqlite");
    const server = await startHttp(data);
    const client = await connectHttp(server.url);
    const acknowledged: string[] = [];
    let killed = false;
    let onKilled: () => void = () => {};
    const killedPromise = new Promise<void>((resolve) => (onKilled = resolve));
    for (let i = 0; i < 300; i++) {
      void call(client, "create_support_ticket", {
        customer_id: "12345",
        subject: `crash ${i}`,
        description: "burst",
      })
        .then((r) => {
          if (killed || !r.structuredContent?.ticket_id) return;
          acknowledged.push(String(r.structuredContent.ticket_id));
          if (acknowledged.length === 40) {
            killed = true;
            server.child.kill("SIGKILL");
            onKilled();
          }
        })
        .catch(() => {});
    }
    await killedPromise;
    await server.stop("SIGKILL");
    void client.close().catch(() => {});
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    const store = openSqliteStore(data.dbPath!);
    try {
      const stored = new Set((await store.listTickets({ limit: 1000 })).map((t) => t.ticket_id));
      for (const id of acknowledged) expect(stored.has(id)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
