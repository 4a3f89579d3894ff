import { type ChatRequest, contentToText } from "@llmux/core";
import type { CostRoutingConfig } from "./router-config.js";

const DEFAULT_COMPLEX = [
  "calculate",
  "analyze",
  "analyse",
  "compare",
  "explain why",
  "step by step",
  "summarize",
  "summarise",
  "create",
  "write",
  "code",
  "plan",
];

export interface SimplicityVerdict {
  simple: boolean;
  evidence: string;
}

/** Whether a request is simple enough for the cheap group, and why. */
export async function classifySimpleRequest(
  request: ChatRequest,
  config: CostRoutingConfig,
): Promise<SimplicityVerdict> {
  const maxChars = config.maxChars ?? 280;
  const lastUser = [...request.messages].reverse().find((m) => m.role === "user");
  const text = contentToText(lastUser?.content ?? "");
  if (text.length > maxChars)
    return { simple: false, evidence: `last user message has ${text.length} chars > ${maxChars}` };
  if ((config.toolResultsAreComplex ?? true) && request.messages.some((m) => m.role === "tool")) {
    return { simple: false, evidence: "the conversation carries tool results" };
  }
  const lower = text.toLowerCase();
  const keyword = (config.complexKeywords ?? DEFAULT_COMPLEX).find((k) => lower.includes(k.toLowerCase()));
  if (keyword) return { simple: false, evidence: `contains "${keyword}"` };
  if (config.classify && !(await config.classify(request)))
    return { simple: false, evidence: "custom classifier said not simple" };
  return {
    simple: true,
    evidence: `${text.length} chars ≤ ${maxChars}, no complex keyword${config.classify ? ", classifier agreed" : ""}`,
  };
}
