import { type ChildProcess, execFile, spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { call, connectStdio, freshStorage, type Storage, startHttp, text } from "./server-process.js";

const run = promisify(execFile);
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

/** Runs the executable to completion and returns its exit code and output (never throws). */
async function runCli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

describe("stdio transport", () => {
  it("writes nothing but JSON-RPC on stdout, JSON-line logs on stderr, and exits 0 when stdin closes", async () => {
    const data = freshStorage("sqlite");
    const child = spawn(process.execPath, [cli, ...data.args], {
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdoutLines: string[] = [];
    const stderrLines: string[] = [];
    createInterface({ input: child.stdout! }).on("line", (l) => stdoutLines.push(l));
    createInterface({ input: child.stderr! }).on("line", (l) => stderrLines.push(l));
    const send = (msg: object) => child.stdin!.write(`${JSON.stringify(msg)}\n`);
    const replies = new Promise<void>((resolve) => {
      child.stdout!.on("data", () => {
        if (stdoutLines.some((l) => l.includes('"id":3'))) resolve();
      });
    });
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    send({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "get_customer", arguments: { customer_id: "67890" } },
    });
    await replies;
    child.stdin!.end();
    expect(await exited(child)).toBe(0);

    const messages = stdoutLines.map((l) => JSON.parse(l) as { jsonrpc: string; id?: number });
    expect(messages.every((m) => m.jsonrpc === "2.0")).toBe(true);
    expect(messages.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(stderrLines.length).toBeGreaterThan(0);
    for (const line of stderrLines) expect(JSON.parse(line)).toHaveProperty("level");
  });
});

describe("graceful shutdown over HTTP", () => {
  it("finishes a call that is in flight when SIGTERM arrives, refuses new ones, then exits 0", async () => {
    const server = await startHttp(freshStorage("sqlite"), { LOG_LEVEL: "info" });
    const url = new URL(server.url);
    const body = JSON.stringify({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: {
        name: "create_support_ticket",
        arguments: { customer_id: "67890", subject: "In flight", description: "sent across SIGTERM" },
      },
    });
    const post = (payload: string, expectContinue: boolean) => {
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "content-length": String(Buffer.byteLength(payload)),
          ...(expectContinue ? { expect: "100-continue" } : {}),
        },
      });
      const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
        req.on("response", (res) => {
          let data = "";
          res.on("data", (d) => (data += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
        });
        req.on("error", reject);
      });
      return { req, response };
    };

    // "100 Continue" means the server has taken the request in; half the body stays unsent.
    const slow = post(body, true);
    await new Promise<void>((resolve) => slow.req.once("continue", resolve));
    slow.req.write(body.slice(0, 20));
    const shuttingDown = new Promise<void>((resolve) => {
      server.child.stderr!.on("data", (d: Buffer) => {
        if (d.toString().includes("shutting down")) resolve();
      });
    });
    server.child.kill("SIGTERM");
    await shuttingDown;

    const late = post(body, false);
    late.req.end(body);
    const refused = await late.response;
    expect(refused.status).toBe(503);
    expect(refused.body).toContain("shutting down");

    slow.req.end(body.slice(20));
    const finished = await slow.response;
    expect(finished.status).toBe(200);
    const reply = JSON.parse(finished.body) as {
      result: { structuredContent: { ticket_id: string; created: boolean } };
    };
    expect(reply.result.structuredContent).toMatchObject({ created: true });
    expect(reply.result.structuredContent.ticket_id).toMatch(/^TKT-/);
    expect(await exited(server.child)).toBe(0);
  });
});

describe("command line", () => {
  it("refuses to listen beyond loopback without a bearer token", async () => {
    const r = await runCli(["--http", "--host", "0.0.0.0", "--port", "0", ...freshStorage("sqlite").args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("MCP_AUTH_TOKEN");
  });

  it.each([
    [["--http", "--port", "99999"], /--port must be 0-65535/],
    [["--bogus"], /bogus/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["seed", "--count", "abc"], /count must be an integer/],
  ])("rejects %j with exit code 2 and a message", async (args, why) => {
    const r = await runCli([...args, ...freshStorage("sqlite").args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(why);
    expect(r.stdout).toBe("");
  });
});

describe.each(["sqlite", "postgres"] as Storage[])("seed command on %s", (storage) => {
  it("adds N realistic customers with purchases that the tools then serve", async () => {
    const data = freshStorage(storage);
    const seeded = await runCli(["seed", "--count", "150", ...data.args], data.env);
    expect(seeded.code).toBe(0);
    expect(seeded.stderr).toMatch(/"added":150/);
    // Seeding again with the same seed adds nothing: ids are stable.
    expect((await runCli(["seed", "--count", "150", ...data.args], data.env)).stderr).toMatch(/"added":0/);

    const client = await connectStdio(data);
    try {
      const recent = await call(client, "get_recent_customers", { limit: 100 });
      const customers = recent.structuredContent!.customers as Array<Record<string, string>>;
      expect(customers).toHaveLength(100);
      const times = customers.map((c) => Date.parse(c.last_interaction!));
      expect([...times].sort((a, b) => b - a)).toEqual(times);

      const one = await call(client, "get_customer", { customer_id: "100042" });
      expect(one.isError).toBeFalsy();
      expect(one.structuredContent).toMatchObject({
        customer_id: "100042",
        name: expect.stringMatching(/^\p{L}+ \p{L}+$/u),
        email: expect.stringMatching(/^[a-z.]+\d+@example\.com$/),
        phone: expect.stringMatching(/^\+1-555-\d{4}$/),
        status: expect.stringMatching(/^(active|suspended|inactive)$/),
      });
      const read = await client.readResource({ uri: "customer://100042" });
      const { purchases } = JSON.parse(String((read.contents[0] as { text: string }).text)) as {
        purchases: number[];
      };
      const value = await call(client, "calculate_account_value", { customer_id: "100042" });
      expect(value.structuredContent).toMatchObject({ count: purchases.length, source: "stored" });
      expect(text(value)).toContain(`${purchases.length} purchases`);
    } finally {
      await client.close();
    }
  });
});
