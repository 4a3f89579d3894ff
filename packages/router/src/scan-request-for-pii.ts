import { type ChatMessage, type ChatRequest, contentToText } from "@llmux/core";
import { detectPii, type PiiFinding, type PiiOptions, redactPii, restorePii } from "@llmux/pii";

export interface PiiEvidence {
  /** Where the findings are, e.g. `messages[3] (tool result)`. */
  where: string;
  findings: PiiFinding[];
}

function describe(message: ChatMessage, index: number): string {
  if (message.role === "tool") return `messages[${index}] (tool result)`;
  if (message.role === "system" || message.role === "developer") return `messages[${index}] (system prompt)`;
  return `messages[${index}] (${message.role})`;
}

/** Every text that would leave the machine: all message contents, tool results, tool-call arguments. */
function* outgoingTexts(request: ChatRequest): Generator<[string, string]> {
  for (const [i, m] of request.messages.entries()) {
    yield [describe(m, i), contentToText(m.content as string)];
    if (m.role === "assistant") {
      for (const call of m.tool_calls ?? [])
        yield [`messages[${i}].tool_calls (${call.function.name} arguments)`, call.function.arguments];
      if (m.reasoning_content) yield [`messages[${i}] (reasoning)`, m.reasoning_content];
      for (const b of m.thinking_blocks ?? [])
        if (b.type === "thinking") yield [`messages[${i}] (thinking)`, b.thinking];
    }
  }
}

/** Scans everything a request would send for personal data. */
export function scanRequestForPii(request: ChatRequest, options: PiiOptions = {}): PiiEvidence[] {
  const evidence: PiiEvidence[] = [];
  for (const [where, text] of outgoingTexts(request)) {
    if (!text) continue;
    const findings = detectPii(text, options);
    if (findings.length) evidence.push({ where, findings });
  }
  return evidence;
}

/** A one-line summary for traces: types found and where, values masked. */
export function summarizeEvidence(evidence: PiiEvidence[]): string {
  return evidence
    .map((e) => `${[...new Set(e.findings.map((f) => f.type))].join("+")} in ${e.where}`)
    .join("; ");
}

/** A copy of the request with personal data masked everywhere, and the map to restore it. */
export function redactRequest(
  request: ChatRequest,
  options: PiiOptions = {},
): { request: ChatRequest; replacements: Map<string, string> } {
  const replacements = new Map<string, string>();
  const mask = (text: string) => redactPii(text, { ...options, replacements }).text;
  const messages = request.messages.map((m): ChatMessage => {
    const content =
      typeof m.content === "string"
        ? mask(m.content)
        : Array.isArray(m.content)
          ? m.content.map((p) => (p.type === "text" ? { ...p, text: mask(p.text) } : p))
          : m.content;
    if (m.role === "assistant") {
      const out: ChatMessage = {
        ...m,
        content: content as typeof m.content,
        tool_calls: m.tool_calls?.map((c) => ({
          ...c,
          function: { ...c.function, arguments: mask(c.function.arguments) },
        })),
      };
      if (m.reasoning_content) out.reasoning_content = mask(m.reasoning_content);
      // A signed thinking block cannot be masked (the signature covers its text): one that carries
      // personal data is left out; the provider may then refuse the turn, which is the safe failure.
      if (m.thinking_blocks)
        out.thinking_blocks = m.thinking_blocks.filter(
          (b) => b.type !== "thinking" || detectPii(b.thinking, options).length === 0,
        );
      return out;
    }
    return { ...m, content } as ChatMessage;
  });
  return { request: { ...request, messages }, replacements };
}

/** Restores placeholders in text that may arrive in pieces (a stream): holds back a partial `[…`. */
export class StreamingRestorer {
  private pending = "";
  constructor(private readonly replacements: ReadonlyMap<string, string>) {}
  push(piece: string): string {
    const text = this.pending + piece;
    const open = text.lastIndexOf("[");
    if (open !== -1 && !text.includes("]", open) && text.length - open < 40) {
      this.pending = text.slice(open);
      return restorePii(text.slice(0, open), this.replacements);
    }
    this.pending = "";
    return restorePii(text, this.replacements);
  }
  flush(): string {
    const rest = restorePii(this.pending, this.replacements);
    this.pending = "";
    return rest;
  }
}
