import type { ChatRequest } from "@llmux/core";
import { clientError } from "./openai-error-response.js";

const ROLES = new Set(["system", "developer", "user", "assistant", "tool"]);
const PART_TYPES = new Set(["text", "image_url", "input_audio", "file"]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const typeName = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function bad(param: string, message: string): never {
  throw clientError("bad_request", `${param}: ${message}`, param, "invalid_value");
}

function checkNumber(body: Obj, field: string, min: number, max: number): void {
  const v = body[field];
  if (v === undefined || v === null) return;
  if (typeof v !== "number" || !Number.isFinite(v)) bad(field, `expected a number, got ${typeName(v)}`);
  if (v < min || v > max) bad(field, `must be between ${min} and ${max}, got ${v}`);
}

// Paths such as `messages[3].content` are built only for the message at fault.
function checkContent(content: unknown, i: number, role: string): void {
  if (typeof content === "string") return;
  const path = `messages[${i}].content`;
  if (content === null || content === undefined) {
    if (role === "assistant") return;
    bad(path, `is required for role "${role}"`);
  }
  if (!Array.isArray(content))
    bad(path, `expected a string or an array of content parts, got ${typeName(content)}`);
  content.forEach((part, j) => {
    if (!isObj(part) || typeof part.type !== "string")
      bad(`${path}[${j}]`, 'expected a content part with a "type"');
    if (!PART_TYPES.has(part.type))
      bad(
        `${path}[${j}].type`,
        `unknown content part type "${part.type}"; expected text, image_url, input_audio or file`,
      );
    if (part.type === "text" && typeof part.text !== "string") bad(`${path}[${j}].text`, "expected a string");
    if (part.type === "image_url" && !(isObj(part.image_url) && typeof part.image_url.url === "string"))
      bad(`${path}[${j}].image_url.url`, "expected a string");
  });
}

/**
 * Checks a `/v1/chat/completions` body the way OpenAI does, naming the field at fault. Returns the
 * request and whether it streams.
 */
export function validateChatRequest(body: unknown): {
  request: ChatRequest & { model: string };
  stream: boolean;
} {
  if (!isObj(body)) bad("body", `expected a JSON object, got ${typeName(body)}`);
  if (typeof body.model !== "string" || body.model.trim() === "")
    bad("model", "is required: a model name from GET /v1/models");
  if (!Array.isArray(body.messages)) bad("messages", `expected an array, got ${typeName(body.messages)}`);
  if (body.messages.length === 0) bad("messages", "must contain at least one message");
  body.messages.forEach((m, i) => {
    if (!isObj(m)) bad(`messages[${i}]`, `expected an object, got ${typeName(m)}`);
    if (typeof m.role !== "string" || !ROLES.has(m.role))
      bad(
        `messages[${i}].role`,
        `expected one of system, developer, user, assistant, tool; got ${JSON.stringify(m.role)}`,
      );
    checkContent(m.content, i, m.role);
    if (m.role === "tool" && typeof m.tool_call_id !== "string")
      bad(`messages[${i}].tool_call_id`, "is required for tool messages");
    if (m.role === "assistant" && m.tool_calls !== undefined && m.tool_calls !== null) {
      if (!Array.isArray(m.tool_calls)) bad(`messages[${i}].tool_calls`, "expected an array");
      m.tool_calls.forEach((c, j) => {
        if (
          !isObj(c) ||
          typeof c.id !== "string" ||
          !isObj(c.function) ||
          typeof c.function.name !== "string" ||
          typeof c.function.arguments !== "string"
        ) {
          bad(
            `messages[${i}].tool_calls[${j}]`,
            "expected { id, type: 'function', function: { name, arguments: string } }",
          );
        }
      });
    }
  });
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) bad("tools", `expected an array, got ${typeName(body.tools)}`);
    body.tools.forEach((t, i) => {
      if (!isObj(t) || t.type !== "function" || !isObj(t.function) || typeof t.function.name !== "string") {
        bad(`tools[${i}]`, "expected { type: 'function', function: { name, description?, parameters? } }");
      }
      if (t.function.parameters !== undefined && !isObj(t.function.parameters))
        bad(`tools[${i}].function.parameters`, "expected a JSON Schema object");
    });
  }
  if (body.tool_choice !== undefined && body.tool_choice !== null) {
    const tc = body.tool_choice;
    const ok =
      tc === "none" ||
      tc === "auto" ||
      tc === "required" ||
      (isObj(tc) && isObj(tc.function) && typeof tc.function.name === "string");
    if (!ok)
      bad("tool_choice", 'expected "none", "auto", "required" or { type: "function", function: { name } }');
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean")
    bad("stream", `expected a boolean, got ${typeName(body.stream)}`);
  if (body.n !== undefined && body.n !== null && body.n !== 1) bad("n", "only n = 1 is supported");
  checkNumber(body, "temperature", 0, 2);
  checkNumber(body, "top_p", 0, 1);
  checkNumber(body, "max_tokens", 1, 10_000_000);
  checkNumber(body, "max_completion_tokens", 1, 10_000_000);
  checkNumber(body, "presence_penalty", -2, 2);
  checkNumber(body, "frequency_penalty", -2, 2);
  if (
    body.stop !== undefined &&
    body.stop !== null &&
    typeof body.stop !== "string" &&
    !(Array.isArray(body.stop) && body.stop.every((s) => typeof s === "string"))
  ) {
    bad("stop", "expected a string or an array of strings");
  }
  if (body.metadata !== undefined && body.metadata !== null && !isObj(body.metadata))
    bad("metadata", "expected an object");
  const { stream, n: _n, ...rest } = body;
  return { request: rest as unknown as ChatRequest & { model: string }, stream: stream === true };
}
