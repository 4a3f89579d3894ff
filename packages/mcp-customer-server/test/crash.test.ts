import { describe, expect, it } from "vitest";
import { call, connectHttp, freshStorage, type Storage, startHttp } from "./server-process.js";

describe.each(["sqlite", "postgres"] as Storage[])("durability on %s", (storage) => {
  it("keeps every acknowledged ticket after kill -9 during a burst, and restarts cleanly", async () => {
    const data = freshStorage(storage);
    const server = await startHttp(data);
    const client = await connectHttp(server.url);
    // Each call carries its own idempotency key, so after the restart a retry must return the very
    // ticket that was acknowledged before the crash (and never a second one).
    const acknowledged = new Map<string, string>();
    let killed = false;
    let onKilled: () => void = () => {};
    const killedPromise = new Promise<void>((resolve) => (onKilled = resolve));
    const args = (i: number) => ({
      customer_id: "12345",
      subject: `crash ${i}`,
      description: "burst",
      idempotency_key: `crash-${i}`,
    });
    for (let i = 0; i < 200; i++) {
      void call(client, "create_support_ticket", args(i))
        .then((r) => {
          if (killed || !r.structuredContent?.ticket_id) return;
          acknowledged.set(`crash-${i}`, String(r.structuredContent.ticket_id));
          if (acknowledged.size === 40) {
            killed = true;
            server.child.kill("SIGKILL");
            onKilled();
          }
        })
        .catch(() => {});
    }
    await killedPromise;
    expect(await server.stop("SIGKILL")).toBeNull(); // killed by the signal, not exited
    void client.close().catch(() => {});

    const restarted = await startHttp(data);
    const after = await connectHttp(restarted.url);
    try {
      expect(acknowledged.size).toBeGreaterThanOrEqual(40);
      for (const [key, ticketId] of acknowledged) {
        const i = Number(key.slice("crash-".length));
        const retry = await call(after, "create_support_ticket", args(i));
        expect(retry.structuredContent).toMatchObject({ ticket_id: ticketId, created: false });
      }
      const recent = await call(after, "list_tickets", { customer_id: "12345", limit: 100 });
      const ids = (recent.structuredContent!.tickets as Array<{ ticket_id: string }>).map((t) => t.ticket_id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await after.close();
      await restarted.stop();
    }
  });
});
