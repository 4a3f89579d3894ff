// How the simulated provider answers from tool results: it reads the JSON (or text) each tool
// returned and says what matters in it, in a sentence or a short list.
import { type ChatMessage, contentToText, type ToolMessage } from "@llmux/core";

type Json = { [key: string]: unknown };

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The text block may be followed by JSON (text + structured content): take the first JSON value.
    const start = text.search(/[[{]/);
    if (start >= 0) {
      try {
        return JSON.parse(text.slice(start));
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}

const money = (n: unknown): string => (typeof n === "number" ? `$${n.toFixed(2)}` : String(n));

function find(value: unknown, keys: string[]): unknown {
  if (!value || typeof value !== "object") return undefined;
  const obj = value as Json;
  for (const k of keys) if (k in obj) return obj[k];
  for (const v of Object.values(obj)) {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const found = find(v, keys);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function describeCustomer(c: Json): string {
  const name = c.name ?? c.full_name ?? c.customer_name ?? c.id;
  const id = c.customer_id ?? c.id;
  const status = c.status ? ` — ${c.status}` : "";
  return `${name}${id && id !== name ? ` (${id})` : ""}${status}`;
}

function summarizeOne(toolName: string, message: ToolMessage): string {
  const text = contentToText(message.content);
  if (message.is_error) return `The ${toolName} tool reported an error: ${text.slice(0, 300)}`;
  const data = parse(text);
  const total = find(data, ["total", "total_value", "total_account_value"]);
  const average = find(data, ["average", "average_purchase", "average_order_value"]);
  const count = find(data, ["count", "purchase_count", "number_of_purchases"]);
  if (typeof total === "number") {
    const who = find(data, ["customer_id"]);
    return `The total account value${who ? ` for customer ${who}` : ""} is ${money(total)} across ${count ?? "?"} purchases (average ${money(average)}).`;
  }
  const customers = find(data, ["customers"]) ?? (Array.isArray(data) ? data : undefined);
  if (Array.isArray(customers)) {
    const statuses = new Map<string, number>();
    for (const c of customers as Json[])
      statuses.set(String(c.status ?? "unknown"), (statuses.get(String(c.status ?? "unknown")) ?? 0) + 1);
    const tally = [...statuses.entries()].map(([s, n]) => `${n} ${s}`).join(", ");
    const list = (customers as Json[])
      .slice(0, 10)
      .map((c) => `- ${describeCustomer(c)}`)
      .join("\n");
    return `There are ${customers.length} recent customers (${tally}):\n${list}`;
  }
  const ticketId =
    find(data, ["ticket_id", "ticketId"]) ?? (find(data, ["subject"]) ? find(data, ["id"]) : undefined);
  if (ticketId !== undefined) {
    const priority = find(data, ["priority"]);
    const status = find(data, ["status"]);
    const customer = find(data, ["customer_id"]);
    return `Created support ticket ${ticketId}${priority ? ` (${priority} priority)` : ""}${customer ? ` for customer ${customer}` : ""}; its status is ${status ?? "open"}.`;
  }
  const name = find(data, ["name"]);
  if (typeof name === "string") {
    return `Customer record: ${describeCustomer(data as Json)}.`;
  }
  const firstLine = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return `The ${toolName} tool returned: ${firstLine.slice(0, 300)}`;
}

/** Answers from the tool results that follow the last assistant message with tool calls. */
export function summarizeToolResults(messages: ChatMessage[]): string {
  let i = messages.length - 1;
  const results: ToolMessage[] = [];
  while (i >= 0 && messages[i]!.role === "tool") results.unshift(messages[i--] as ToolMessage);
  const assistant = i >= 0 && messages[i]!.role === "assistant" ? messages[i] : undefined;
  const names = new Map<string, string>();
  if (assistant && assistant.role === "assistant") {
    for (const call of assistant.tool_calls ?? []) names.set(call.id, call.function.name);
  }
  return results.map((r) => summarizeOne(names.get(r.tool_call_id) ?? "tool", r)).join("\n");
}
