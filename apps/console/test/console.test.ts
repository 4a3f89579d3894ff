// End to end: the real gateway app and the real console app as processes, a fake OpenAI upstream,
// the customer-service MCP server over stdio, and Chromium reading the page.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FakeOpenAIServer, startFakeOpenAI } from "@llmux/provider-testkit";
import OpenAI from "openai";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const consoleCli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const demo = fileURLToPath(new URL("../dist/demo.js", import.meta.url));
const gatewayCli = join(dirname(require.resolve("@llmux/gateway-app/package.json")), "dist/cli.js");
const customerCli = join(dirname(require.resolve("@llmux/mcp-customer-server/package.json")), "dist/cli.js");
const MASTER = "sk-console-master-0123456789";
const UPSTREAM_KEY = "sk-upstream-console-secret-42";
const CHROMIUM = process.env.LLMUX_CHROMIUM_PATH ?? "/usr/lib/chromium/chromium";

interface Proc {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

/** Spawns a CLI and resolves once it prints the URL it serves at. */
function startProcess(args: string[], env: Record<string, string>, pattern: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start: ${stderr}`)), 20_000);
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      const m = pattern.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, stderr: () => stderr });
      }
    });
    child.on("exit", (code) => reject(new Error(`${args[0]} exited with ${code}: ${stderr}`)));
  });
}

const startConsoleCli = (args: string[], env: Record<string, string> = {}) =>
  startProcess(
    [consoleCli, "--port", "0", ...args],
    { LLMUX_MASTER_KEY: MASTER, ...env },
    /serving at (\S+)/,
  );

async function stop(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once("exit", r));
  p.child.kill("SIGTERM");
  await exited;
}

function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

let fake: FakeOpenAIServer;
let gateway: Proc;
let console_: Proc;
let client: OpenAI;
let browser: Browser;
let page: Page;
let dbDir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not at ${CHROMIUM}: run the suite with \`npm test\` (it installs Chromium), or apt-get install chromium, or set LLMUX_CHROMIUM_PATH`,
    );
  fake = await startFakeOpenAI();
  const dir = mkdtempSync(join(tmpdir(), "llmux-console-test-"));
  const config = join(dir, "llmux.yaml");
  const params = `{ api_key: ${UPSTREAM_KEY}, api_base: "${fake.baseURL}" }`;
  writeFileSync(
    config,
    `gateway:
  master_key: \${GW_MASTER}
deployments:
  - { id: primary, group: gpt-4o, model: openai/gpt-4o, params: ${params} }
  - { id: backup, group: gpt-4o-mini, model: openai/gpt-4o-mini, params: ${params} }
retry: { numRetries: 0 }
fallbacks:
  gpt-4o: [gpt-4o-mini]
`,
  );
  dbDir = join(dir, "my data");
  mkdirSync(dbDir);
  gateway = await startProcess(
    [gatewayCli, "--config", config, "--port", "0"],
    { GW_MASTER: MASTER, LLMUX_LOG_LEVEL: "warn" },
    / at (http:\/\/\S+)\/v1/,
  );
  console_ = await startConsoleCli([
    "--gateway",
    gateway.url,
    "--mcp",
    // A quoted word may hold spaces: the database sits in a folder named "my data".
    `crm=${process.execPath} "${customerCli}" --db "${join(dbDir, "customers.db")}"`,
    "--mcp",
    `broken=${process.execPath} -e process.exit(3)`,
  ]);
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: MASTER, maxRetries: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  page = await browser.newPage();
  await page.goto(console_.url);
  await page.locator("#live[data-live=true]").waitFor();
});

afterAll(async () => {
  await browser?.close();
  await stop(console_);
  await stop(gateway);
  await fake?.close();
});

describe("the console page", () => {
  const costs: Record<string, number> = {};
  const cost = (response: Response, model: string) => {
    costs[model] = (costs[model] ?? 0) + Number(response.headers.get("x-llmux-cost-usd"));
  };

  it("shows each request as it finishes, without a reload, with its routing decision", async () => {
    fake.enqueue({ kind: "text", text: "first answer", usage: { input: 1000, output: 100 } });
    const first = await client.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "a private question" }] })
      .withResponse();
    cost(first.response, "gpt-4o");
    const id = first.response.headers.get("x-request-id")!;
    const row = page.locator(`#requests tr[data-id="${id}"]`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain("gpt-4o → primary");

    // The primary fails; the router falls back to gpt-4o-mini.
    fake.enqueue({ kind: "error", error: { type: "server", status: 500 } });
    fake.enqueue({ kind: "text", text: "fallback answer", usage: { input: 200, output: 20 } });
    const second = await client.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "again" }] })
      .withResponse();
    cost(second.response, "gpt-4o");
    const failover = page.locator(`#requests tr[data-id="${second.response.headers.get("x-request-id")}"]`);
    await failover.waitFor();
    const cells = await failover.locator("td").allTextContents();
    expect(cells[3]).toContain("gpt-4o → backup");
    expect(cells[6]).toBe("2"); // attempts
    await failover.click();
    const decision = page.locator("#decision");
    await decision.locator("li").first().waitFor();
    const lines = await decision.locator("li").allTextContents();
    expect(lines.join("\n")).toMatch(/attempt 1: primary \[gpt-4o\] failed \(server/);
    expect(lines.join("\n")).toMatch(/attempt 2: backup \[gpt-4o-mini\] ok/);
    expect(lines.at(-1)).toBe("→ answered by backup");
    expect(await page.locator("#simulated").isHidden()).toBe(true); // real (fake) upstream, not simulated
    expect(await page.content()).not.toContain("a private question");
  });

  it("adds up cost per model, deployment and key as the gateway charged it", async () => {
    const admin = await fetch(`${gateway.url}/admin/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${MASTER}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "team-support" }),
    });
    const { key } = (await admin.json()) as { key: string };
    const team = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
    fake.enqueue({ kind: "text", text: "streamed", usage: { input: 40, output: 8 } });
    const stream = await team.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "stream" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _ of stream);
    const keyRow = page.locator('#by-key tr[data-name="team-support"]');
    await keyRow.waitFor();
    expect((await keyRow.locator("td").allTextContents()).slice(1, 4)).toEqual(["1", "0", "40 / 8"]);

    const model = page.locator('#by-model tr[data-name="gpt-4o"] td');
    await expect.poll(async () => (await model.allTextContents())[1]).toBe("2");
    const shown = (await model.allTextContents())[4]!;
    expect(Number(shown.replace("$", ""))).toBeCloseTo(costs["gpt-4o"]!, 6);
    await expect.poll(async () => page.locator("#t-requests").textContent()).toBe("3");
    expect(await page.locator("#t-errors").textContent()).toBe("0");
    expect(await page.locator('#by-deployment tr[data-name="backup"] td').nth(1).textContent()).toBe("2");
  });

  it("lists each MCP server's tools and how they translate for every provider", async () => {
    const crm = page.locator('#tools [data-server="crm"]');
    await crm.locator("tr[data-tool]").first().waitFor();
    const tools = await crm
      .locator("tr[data-tool]")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-tool")));
    expect(tools).toEqual(
      expect.arrayContaining(["get_customer", "create_support_ticket", "calculate_account_value"]),
    );
    // The quoted --db path reached the server whole.
    expect(existsSync(join(dbDir, "customers.db"))).toBe(true);
    const targets = await crm.locator("thead th").allTextContents();
    expect(targets.slice(2)).toEqual(["openai", "anthropic", "ollama", "bedrock", "gemini"]);
    const openai = await crm.locator('tr[data-tool="get_customer"] td[data-target="openai"]').textContent();
    expect(openai).toBe("ok");
    // Ollama has no minLength/maxLength: the tool still goes, with the constraints moved to the description.
    const ollama = crm.locator('tr[data-tool="get_customer"] td[data-target="ollama"]');
    expect(await ollama.locator(".tag").textContent()).toBe("changed");
    await ollama.locator("summary").click();
    expect(await ollama.locator(".notes").textContent()).toContain("minLength");
    const broken = page.locator('#tools [data-server="broken"]');
    expect(await broken.locator(".bad").textContent()).toMatch(/closed|exit|connect/i);
    const reloaded = page.waitForResponse((r) => r.url().endsWith("/api/tools?refresh=1"));
    await page.click("#reload-tools");
    expect((await reloaded).status()).toBe(200);
    await page.locator('#tools [data-server="crm"] tr[data-tool="get_customer"]').waitFor();
  });
});

describe("the console's safety", () => {
  it("never gives the browser the gateway's master key or an upstream key", async () => {
    for (const path of ["/", "/console.js", "/api/overview", "/api/requests", "/api/tools"]) {
      const text = await (await fetch(`${console_.url}${path}`)).text();
      expect(text, path).not.toContain(MASTER);
      expect(text, path).not.toContain(UPSTREAM_KEY);
    }
    expect(await page.content()).not.toContain(MASTER);
    const res = await fetch(console_.url);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  it("refuses a foreign Host header (DNS rebinding)", async () => {
    expect(await getWithHost(`${console_.url}/api/overview`, "evil.example:80")).toBe(403);
    expect(await getWithHost(`${console_.url}/api/overview`, new URL(console_.url).host)).toBe(200);
  });

  it("needs its token when one is set: /?token=… once, then a cookie", async () => {
    const guarded = await startConsoleCli(["--gateway", gateway.url], {
      LLMUX_CONSOLE_TOKEN: "tok-0123456789",
    });
    try {
      const denied = await fetch(`${guarded.url}/api/overview`);
      expect(denied.status).toBe(401);
      expect(((await denied.json()) as { error: { message: string } }).error.message).toContain("?token=");
      expect((await fetch(`${guarded.url}/?token=wrong`)).status).toBe(401);
      const tab = await browser.newPage();
      await tab.goto(`${guarded.url}/?token=tok-0123456789`);
      expect(new URL(tab.url()).search).toBe(""); // the token leaves the address bar
      await tab.locator("#gateway[data-status=ready]").waitFor();
      await tab.close();
    } finally {
      await stop(guarded);
    }
  });

  it("says so on the page when the gateway is down or refuses the key", async () => {
    const port = await closedPort();
    const down = await startConsoleCli(["--gateway", `http://127.0.0.1:${port}`]);
    const refused = await startConsoleCli(["--gateway", gateway.url], {
      LLMUX_MASTER_KEY: "sk-not-the-master-key",
    });
    try {
      const tab = await browser.newPage();
      await tab.goto(down.url);
      await tab.locator("#gateway[data-status=unreachable]").waitFor();
      expect(await tab.locator("#problem").textContent()).toContain(
        `127.0.0.1:${port} is unreachable (ECONNREFUSED)`,
      );
      await tab.goto(refused.url);
      await tab.locator("#gateway[data-status=refused]").waitFor();
      expect(await tab.locator("#problem").textContent()).toContain("same LLMUX_MASTER_KEY");
      expect(await tab.content()).not.toContain("sk-not-the-master-key");
      await tab.close();
    } finally {
      await stop(down);
      await stop(refused);
    }
  });
});

describe("llmux-console command line", () => {
  const run = (args: string[], env: Record<string, string> = { LLMUX_MASTER_KEY: MASTER }) =>
    spawnSync(process.execPath, [consoleCli, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      encoding: "utf8",
    });

  it("exits 2 with the reason for bad set-ups", () => {
    const noKey = run([], {});
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain("LLMUX_MASTER_KEY is not set");
    const exposed = run(["--host", "0.0.0.0"]);
    expect(exposed.status).toBe(2);
    expect(exposed.stderr).toContain("LLMUX_CONSOLE_TOKEN");
    const badMcp = run(["--mcp", "no-equals-sign"]);
    expect(badMcp.status).toBe(2);
    expect(badMcp.stderr).toContain("expected NAME=COMMAND");
    expect(run(["--port", "99999"]).stderr).toContain("not a port number");
  });

  it("runs the offline demo once: gateway, MCP server, console and traffic", () => {
    const r = spawnSync(process.execPath, [demo, "--once"], { encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("SIMULATED");
    expect(r.stdout).toMatch(/personal data .*: 200 via on-prem/);
    expect(r.stdout).toMatch(/console sees 4 requests/);
    expect(r.stdout).toContain("crm/get_customer");
  });
});
