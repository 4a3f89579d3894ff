import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { type CustomerStore, TICKET_STATUSES } from "./customer-store.js";

export const SERVER_NAME = "llmux-customer-server";
export const SERVER_VERSION = "0.1.0";

const customerId = z
  .string()
  .trim()
  .min(1, "customer_id must not be empty")
  .max(64, "customer_id is at most 64 characters")
  .describe('The customer\'s id, e.g. "12345"');

const customerShape = {
  customer_id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  status: z.enum(["active", "suspended", "inactive"]),
  created_at: z.string(),
  last_interaction: z.string(),
};
const ticketShape = {
  ticket_id: z.string(),
  customer_id: z.string(),
  subject: z.string(),
  description: z.string(),
  priority: z.enum(["low", "normal", "high", "urgent"]),
  status: z.enum(["open", "in_progress", "resolved", "closed"]),
  created_at: z.string(),
};

/** A result with both a readable text block and structured content (what output schemas promise). */
function ok(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: structured };
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** Reads `resolution_steps` sent as a string: a JSON list, or one step per line (bullets and numbers stripped). */
export function parseResolutionSteps(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    try {
      const parsed = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map((s) => String(s).trim()).filter(Boolean);
    } catch {
      // not JSON: read it as lines
    }
  }
  return trimmed
    .split(/\r?\n|;\s*/)
    .map((l) => l.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, "").trim())
    .filter(Boolean);
}

/**
 * The article's customer-service MCP server over a store: five tools, the `customer://{customer_id}`
 * resource and the `customer_service_response` prompt.
 */
export function createCustomerServer(store: CustomerStore): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION },
    { capabilities: { logging: {} } },
  );

  server.registerTool(
    "get_recent_customers",
    {
      title: "Recent customers",
      description:
        "Get the most recently active customers with their contact details and account status, newest interaction first.",
      inputSchema: {
        limit: z
          .number()
          .int()
          .min(1)
          .max(100)
          .default(10)
          .describe("How many customers (1-100, default 10)"),
      },
      outputSchema: { customers: z.array(z.object(customerShape)), count: z.number() },
      annotations: { readOnlyHint: true },
    },
    async ({ limit }) => {
      const customers = await store.recentCustomers(limit);
      const lines = customers.map(
        (c) =>
          `- ${c.name} (${c.customer_id}), ${c.status}, ${c.email}, ${c.phone}, last interaction ${c.last_interaction}`,
      );
      return ok(`${customers.length} recent customers:\n${lines.join("\n")}`, {
        customers,
        count: customers.length,
      });
    },
  );

  server.registerTool(
    "get_customer",
    {
      title: "Customer lookup",
      description: "Look up one customer by id: name, email, phone, status and dates.",
      inputSchema: { customer_id: customerId },
      outputSchema: customerShape,
      annotations: { readOnlyHint: true },
    },
    async ({ customer_id }) => {
      const c = await store.getCustomer(customer_id);
      if (!c) return toolError(`customer_id "${customer_id}" not found`);
      return ok(`${c.name} (${c.customer_id}): ${c.status}, ${c.email}, ${c.phone}`, { ...c });
    },
  );

  server.registerTool(
    "create_support_ticket",
    {
      title: "Create support ticket",
      description:
        'Create a support ticket for an existing customer. Returns the ticket id, status "open" and creation time. Send the same idempotency_key when retrying to get the first ticket back instead of a duplicate.',
      inputSchema: {
        customer_id: customerId,
        subject: z
          .string()
          .trim()
          .min(1, "subject must not be empty")
          .max(200, "subject is at most 200 characters"),
        description: z
          .string()
          .trim()
          .min(1, "description must not be empty")
          .max(5000, "description is at most 5000 characters"),
        priority: z
          .enum(["low", "normal", "high", "urgent"])
          .default("normal")
          .describe("low | normal | high | urgent"),
        idempotency_key: z
          .string()
          .min(1)
          .max(200)
          .optional()
          .describe("Optional key that makes retries safe"),
      },
      outputSchema: { ...ticketShape, created: z.boolean() },
      annotations: { idempotentHint: false },
    },
    async ({ customer_id, subject, description, priority, idempotency_key }) => {
      const customer = await store.getCustomer(customer_id);
      if (!customer)
        return toolError(`customer_id "${customer_id}" not found: a ticket needs an existing customer`);
      const { ticket, created } = await store.createTicket({
        customerId: customer_id,
        subject,
        description,
        priority,
        idempotencyKey: idempotency_key,
      });
      const verb = created ? "Created" : "Already created (same idempotency_key)";
      return ok(
        `${verb} ticket ${ticket.ticket_id} for ${customer.name} (${customer_id}): "${ticket.subject}", priority ${ticket.priority}, status ${ticket.status}, at ${ticket.created_at}`,
        {
          ...ticket,
          created,
        },
      );
    },
  );

  server.registerTool(
    "calculate_account_value",
    {
      title: "Account value",
      description:
        "Calculate a customer's account value: total, average and count of purchases, rounded to cents. Uses the given purchase_history, or the customer's stored purchases when it is omitted.",
      inputSchema: {
        customer_id: customerId,
        purchase_history: z
          .array(
            z
              .number()
              .finite("purchase amounts must be finite numbers")
              .nonnegative("purchase amounts must be ≥ 0"),
          )
          .max(10_000)
          .optional()
          .describe("Purchase amounts in dollars, e.g. [150, 300, 13, 89]"),
      },
      outputSchema: {
        customer_id: z.string(),
        total: z.number(),
        average: z.number(),
        count: z.number(),
        source: z.enum(["given", "stored"]),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ customer_id, purchase_history }) => {
      const customer = await store.getCustomer(customer_id);
      if (!customer) return toolError(`customer_id "${customer_id}" not found`);
      const amounts = purchase_history ?? (await store.purchases(customer_id));
      const count = amounts.length;
      const total = cents(amounts.reduce((a, b) => a + b, 0));
      const average = count ? cents(total / count) : 0;
      return ok(
        `Account value for ${customer.name} (${customer_id}): total $${total.toFixed(2)}, average $${average.toFixed(2)}, ${count} purchases`,
        { customer_id, total, average, count, source: purchase_history ? "given" : "stored" },
      );
    },
  );

  server.registerTool(
    "list_tickets",
    {
      title: "List tickets",
      description: "List support tickets, newest first, optionally for one customer and/or one status.",
      inputSchema: {
        customer_id: customerId.optional(),
        status: z
          .enum(["open", "in_progress", "resolved", "closed"])
          .optional()
          .describe(TICKET_STATUSES.join(" | ")),
        limit: z.number().int().min(1).max(100).default(20),
      },
      outputSchema: { tickets: z.array(z.object(ticketShape)), count: z.number() },
      annotations: { readOnlyHint: true },
    },
    async ({ customer_id, status, limit }) => {
      const tickets = await store.listTickets({ customerId: customer_id, status, limit });
      const lines = tickets.map(
        (t) => `- ${t.ticket_id} ${t.customer_id} [${t.priority}/${t.status}] ${t.subject}`,
      );
      return ok(`${tickets.length} tickets:\n${lines.join("\n")}`, { tickets, count: tickets.length });
    },
  );

  server.registerResource(
    "customer",
    new ResourceTemplate("customer://{customer_id}", {
      list: async () => ({
        resources: (await store.recentCustomers(100)).map((c) => ({
          uri: `customer://${c.customer_id}`,
          name: `${c.name} (${c.customer_id})`,
          mimeType: "application/json",
        })),
      }),
      complete: { customer_id: async (value) => store.customerIds(value ?? "", 20) },
    }),
    { title: "Customer record", description: "A customer's record as JSON", mimeType: "application/json" },
    async (uri, { customer_id }) => {
      const id = Array.isArray(customer_id) ? customer_id[0] : customer_id;
      const customer = id ? await store.getCustomer(id) : undefined;
      if (!customer) throw new Error(`customer "${id}" not found`);
      const purchases = await store.purchases(customer.customer_id);
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: "application/json",
            text: JSON.stringify({ ...customer, purchases }, null, 2),
          },
        ],
      };
    },
  );

  server.registerPrompt(
    "customer_service_response",
    {
      title: "Customer service response",
      description:
        "A professional reply to a customer: greeting, acknowledgement of the issue, the resolution steps, and a closing.",
      argsSchema: {
        customer_name: z.string().min(1).describe("The customer's name"),
        issue_type: z.string().min(1).describe('The kind of issue, e.g. "billing"'),
        resolution_steps: z.string().min(1).describe("Steps, one per line or as a JSON list"),
      },
    },
    ({ customer_name, issue_type, resolution_steps }) => {
      const steps = parseResolutionSteps(resolution_steps);
      const numbered = steps.map((s, i) => `${i + 1}. ${s}`).join("\n");
      return {
        description: `Reply to ${customer_name} about a ${issue_type} issue`,
        messages: [
          {
            role: "user",
            content: {
              type: "text",
              text: `Write a professional, empathetic customer service response.\n\nCustomer: ${customer_name}\nIssue type: ${issue_type}\nResolution steps:\n${numbered}\n\nGreet the customer by name, acknowledge the ${issue_type} issue, explain each step clearly, say what happens next, and close politely.`,
            },
          },
        ],
      };
    },
  );

  return server;
}
