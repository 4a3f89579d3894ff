import { request as httpRequest } from "node:http";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  call,
  connectHttp,
  connectStdio,
  freshStorage,
  type Storage,
  startHttp,
  text,
} from "./server-process.js";

// The same behaviour over both stores and both transports.
describe.each(["sqlite", "postgres"] as Storage[])("customer server on %s", (storage) => {
  describe.each(["stdio", "http"] as const)("over %s", (transport) => {
    let client: Client;
    let stop: (() => Promise<unknown>) | undefined;
    beforeAll(async () => {
      const data = freshStorage(storage);
      if (transport === "stdio") client = await connectStdio(data);
      else {
        const server = await startHttp(data);
        client = await connectHttp(server.url);
        stop = () => server.stop();
      }
    });
    afterAll(async () => {
      await client?.close();
      await stop?.();
    });

    it("lists the five tools with JSON Schemas generated from zod", async () => {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        "calculate_account_value",
        "create_support_ticket",
        "get_customer",
        "get_recent_customers",
        "list_tickets",
      ]);
      const ticket = tools.find((t) => t.name === "create_support_ticket")!;
      expect(ticket.inputSchema.required).toEqual(["customer_id", "subject", "description"]);
      expect((ticket.inputSchema.properties as Record<string, { enum?: string[] }>).priority?.enum).toEqual([
        "low",
        "normal",
        "high",
        "urgent",
      ]);
      expect(ticket.outputSchema).toBeDefined();
    });

    it("calculates the article's account value: 552.00 / 138.00 / 4", async () => {
      const r = await call(client, "calculate_account_value", {
        customer_id: "67890",
        purchase_history: [150, 300, 13, 89],
      });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({
        customer_id: "67890",
        total: 552,
        average: 138,
        count: 4,
        source: "given",
      });
      expect(text(r)).toContain("total $552.00, average $138.00, 4 purchases");
    });

    it("uses stored purchases when none are given, rounded to cents", async () => {
      const r = await call(client, "calculate_account_value", { customer_id: "12345" });
      expect(r.structuredContent).toMatchObject({ total: 539, average: 179.67, count: 3, source: "stored" });
    });

    it("lists recent customers newest first, with the article's sample data", async () => {
      const r = await call(client, "get_recent_customers", { limit: 10 });
      const customers = r.structuredContent!.customers as Array<Record<string, string>>;
      expect(customers.map((c) => c.customer_id).sort()).toEqual(["12345", "67890"]);
      expect(customers.find((c) => c.customer_id === "12345")).toMatchObject({
        name: "Alice Johnson",
        email: "alice@example.com",
        phone: "+1-555-0123",
        status: "active",
      });
      expect(customers.find((c) => c.customer_id === "67890")).toMatchObject({
        name: "Bob Smith",
        email: "bob@example.com",
        status: "suspended",
      });
      const times = customers.map((c) => Date.parse(c.last_interaction!));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it("creates a high-priority ticket that list_tickets then shows", async () => {
      const r = await call(client, "create_support_ticket", {
        customer_id: "67890",
        subject: "Billing issues",
        description: "Charged twice",
        priority: "high",
      });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({
        customer_id: "67890",
        priority: "high",
        status: "open",
        created: true,
      });
      expect(r.structuredContent!.ticket_id).toMatch(/^TKT-\d{6}$/);
      const list = await call(client, "list_tickets", { customer_id: "67890" });
      expect(
        (list.structuredContent!.tickets as Array<{ ticket_id: string }>).map((t) => t.ticket_id),
      ).toContain(r.structuredContent!.ticket_id);
    });

    it("returns the first ticket for a repeated idempotency key", async () => {
      const args = {
        customer_id: "12345",
        subject: "Login",
        description: "Cannot log in",
        idempotency_key: "retry-abc",
      };
      const first = await call(client, "create_support_ticket", args);
      const again = await call(client, "create_support_ticket", args);
      expect(again.structuredContent!.ticket_id).toBe(first.structuredContent!.ticket_id);
      expect(again.structuredContent!.created).toBe(false);
    });

    it("looks up one customer", async () => {
      const r = await call(client, "get_customer", { customer_id: "12345" });
      expect(r.structuredContent).toMatchObject({ name: "Alice Johnson", status: "active" });
    });

    it.each([
      [
        "create_support_ticket",
        { customer_id: "99999", subject: "x", description: "y" },
        /customer_id "99999" not found/,
      ],
      [
        "create_support_ticket",
        { customer_id: "12345", subject: "x", description: "y", priority: "asap" },
        /priority/,
      ],
      ["create_support_ticket", { customer_id: "12345", subject: "", description: "y" }, /subject/],
      [
        "calculate_account_value",
        { customer_id: "12345", purchase_history: [10, -5] },
        /≥ 0|purchase_history/,
      ],
      ["calculate_account_value", { customer_id: "12345", purchase_history: ["ten"] }, /purchase_history/],
      ["get_recent_customers", { limit: 0 }, /limit/],
      ["get_recent_customers", { limit: 101 }, /limit/],
      ["get_customer", { customer_id: "nope" }, /customer_id "nope" not found/],
      ["list_tickets", { status: "lost" }, /status/],
    ])("%s with bad input %j is a tool error naming the problem", async (tool, args, why) => {
      const r = await call(client, tool, args);
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(why);
    });

    it("serves customer://{customer_id} as JSON, lists it and completes ids", async () => {
      const read = await client.readResource({ uri: "customer://12345" });
      const record = JSON.parse(String((read.contents[0] as { text: string }).text));
      expect(record).toMatchObject({
        customer_id: "12345",
        name: "Alice Johnson",
        purchases: [150, 300, 89],
      });
      const { resources } = await client.listResources();
      expect(resources.map((r) => r.uri)).toEqual(
        expect.arrayContaining(["customer://12345", "customer://67890"]),
      );
      const completion = await client.complete({
        ref: { type: "ref/resource", uri: "customer://{customer_id}" },
        argument: { name: "customer_id", value: "6" },
      });
      expect(completion.completion.values).toEqual(["67890"]);
      await expect(client.readResource({ uri: "customer://00000" })).rejects.toThrow(/not found/);
    });

    it("renders the customer_service_response prompt from newline or JSON-list steps", async () => {
      for (const steps of [
        "Refund the duplicate charge\n- Send a confirmation email",
        '["Refund the duplicate charge", "Send a confirmation email"]',
      ]) {
        const p = await client.getPrompt({
          name: "customer_service_response",
          arguments: { customer_name: "Bob Smith", issue_type: "billing", resolution_steps: steps },
        });
        const body = (p.messages[0]!.content as { text: string }).text;
        expect(body).toContain("Customer: Bob Smith");
        expect(body).toContain("1. Refund the duplicate charge\n2. Send a confirmation email");
      }
    });
  });

  it("keeps 200 concurrent ticket creations distinct and persisted", async () => {
    const data = freshStorage(storage);
    const server = await startHttp(data);
    const client = await connectHttp(server.url);
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          call(client, "create_support_ticket", {
            customer_id: i % 2 ? "12345" : "67890",
            subject: `Load ${i}`,
            description: "burst",
            priority: "normal",
          }),
        ),
      );
      const ids = results.map((r) => r.structuredContent!.ticket_id);
      expect(new Set(ids).size).toBe(200);
      const counted = new Set<string>();
      for (const status of ["open"]) {
        for (const customer of ["12345", "67890"]) {
          const list = await call(client, "list_tickets", { customer_id: customer, status, limit: 100 });
          for (const t of list.structuredContent!.tickets as Array<{ ticket_id: string }>)
            counted.add(t.ticket_id);
        }
      }
      expect(counted.size).toBe(200);
    } finally {
      await client.close();
      await server.stop();
    }
  });
});

describe("HTTP safety", () => {
  let server: Awaited<ReturnType<typeof startHttp>>;
  beforeAll(async () => {
    server = await startHttp(freshStorage("sqlite"), { MCP_AUTH_TOKEN: "s3cret-token" });
  });
  afterAll(async () => {
    await server.stop();
  });

  const raw = (headers: Record<string, string>, body = '{"jsonrpc":"2.0","id":1,"method":"ping"}') =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(server.url);
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
            ...headers,
          },
        },
        (res) => {
          let data = "";
          res.on("data", (d) => (data += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  it("requires the bearer token when one is set", async () => {
    await expect(connectHttp(server.url)).rejects.toThrow();
    const client = await connectHttp(server.url, "s3cret-token");
    expect((await client.listTools()).tools).toHaveLength(5);
    await client.close();
    expect((await raw({ authorization: "Bearer wrong" })).status).toBe(401);
  });

  it("rejects a foreign Host or Origin (DNS rebinding)", async () => {
    const evilHost = await raw({ host: "evil.example.com", authorization: "Bearer s3cret-token" });
    expect(evilHost.status).toBe(403);
    expect(evilHost.body).toContain("not allowed");
    const evilOrigin = await raw({ origin: "http://evil.example.com", authorization: "Bearer s3cret-token" });
    expect(evilOrigin.status).toBe(403);
  });

  it("rejects malformed JSON and oversized bodies without falling over", async () => {
    expect((await raw({ authorization: "Bearer s3cret-token" }, "{not json")).status).toBe(400);
    expect(
      (await raw({ authorization: "Bearer s3cret-token" }, `{"x":"${"a".repeat(2 * 1024 * 1024)}"}`)).status,
    ).toBe(413);
    const client = await connectHttp(server.url, "s3cret-token");
    expect((await client.listTools()).tools).toHaveLength(5);
    await client.close();
  });
});
