// How the simulated provider chooses a tool and its arguments: word overlap between the question and
// each tool's name, description and parameter names, then arguments read off the question.
import type { ChatTool, JsonSchema } from "@llmux/core";

export interface PlannedCall {
  name: string;
  arguments: Record<string, unknown>;
}

const STOP = new Set(
  "a an the of for to and or with about their there them is are was were be been this that these those it its in on at by from as my our your me we i please can could would should".split(
    " ",
  ),
);

function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z]+/g) ?? [])
    .filter((w) => !STOP.has(w) && w.length > 1)
    .map((w) => (w.length > 4 && w.endsWith("s") ? w.slice(0, -1) : w));
}

/** What the question says, in the shapes tool parameters want. */
interface QuestionFacts {
  text: string;
  ids: string[];
  amounts: number[];
  integers: number[];
  enumWords: Set<string>;
}

function readFacts(question: string): QuestionFacts {
  const amounts = [...question.matchAll(/\$\s?(\d+(?:,\d{3})*(?:\.\d+)?)/g)].map((m) =>
    Number(m[1]!.replace(/,/g, "")),
  );
  const ids = [...question.matchAll(/\b(?:customer|id|#)\s*(?:id\s*)?#?\s*([A-Za-z]*\d{3,})\b/gi)].map(
    (m) => m[1]!,
  );
  for (const m of question.matchAll(/\b(\d{5,})\b/g)) if (!ids.includes(m[1]!)) ids.push(m[1]!);
  const integers = [...question.matchAll(/(?<![$\d.])\b(\d{1,3})\b(?![.\d])/g)].map((m) => Number(m[1]));
  return {
    text: question,
    ids,
    amounts,
    integers,
    enumWords: new Set(question.toLowerCase().match(/[a-z]+/g) ?? []),
  };
}

type Schema = { [key: string]: unknown };

function propertiesOf(tool: ChatTool): Array<[string, Schema]> {
  const props = (tool.function.parameters as JsonSchema | undefined)?.properties;
  return props && typeof props === "object" && !Array.isArray(props)
    ? (Object.entries(props) as Array<[string, Schema]>)
    : [];
}

function requiredOf(tool: ChatTool): string[] {
  const req = (tool.function.parameters as JsonSchema | undefined)?.required;
  return Array.isArray(req) ? req.filter((r): r is string => typeof r === "string") : [];
}

function typeOf(schema: Schema): string | undefined {
  const t = schema.type;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.find((x) => x !== "null") as string | undefined;
  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  return variants?.map(typeOf).find((x) => x && x !== "null");
}

/** A subject line: "… about billing issues" → "Billing issues". */
function subjectFrom(question: string): string {
  const rest = question.replace(/customer\s+\d+/gi, "");
  const about =
    /\b(?:about|regarding|concerning|re:)\s+([^.?!,]+)/i.exec(rest) ??
    /\bfor\s+(?!customer\b)([^.?!,]+)/i.exec(rest);
  const phrase = (about?.[1] ?? question).trim().replace(/\s+/g, " ").slice(0, 80);
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

/** Fills one parameter from the question, or returns undefined when the question does not say. */
function fill(name: string, schema: Schema, facts: QuestionFacts): unknown {
  const type = typeOf(schema);
  const key = name.toLowerCase();
  const enumValues = Array.isArray(schema.enum) ? (schema.enum as unknown[]) : undefined;
  if (enumValues) {
    const said = enumValues.find((v) => typeof v === "string" && facts.enumWords.has(v.toLowerCase()));
    return said;
  }
  if (type === "array") {
    const items = (schema.items ?? {}) as Schema;
    const itemType = typeOf(items);
    if ((itemType === "number" || itemType === "integer") && facts.amounts.length > 0) return facts.amounts;
    return undefined;
  }
  if (/(^|_)id$|^id$|identifier/.test(key)) {
    const id = facts.ids[0];
    if (id === undefined) return undefined;
    return type === "integer" || type === "number" ? Number(id) : id;
  }
  if (type === "integer" || type === "number") {
    if (/limit|count|top|max|number|size/.test(key)) {
      const n = facts.integers.find((x) => x > 0 && x <= 100);
      return n;
    }
    return undefined;
  }
  if (type === "string") {
    if (/subject|title|summary|topic/.test(key)) return subjectFrom(facts.text);
    if (/description|detail|body|message|text|content|query|question|issue|note/.test(key)) return facts.text;
  }
  return undefined;
}

/** Word overlap with the tool's name (3 each) and description (1 each); 0 unless a name word matches. */
function score(tool: ChatTool, questionWords: Set<string>): number {
  const nameWords = words(tool.function.name.replace(/[_.\-/]+/g, " "));
  const descWords = words(tool.function.description ?? "");
  let s = 0;
  for (const w of new Set(nameWords)) if (questionWords.has(w)) s += 3;
  if (s === 0) return 0;
  for (const w of new Set(descWords)) if (questionWords.has(w)) s += 1;
  return s;
}

/** Picks the best-matching tool whose required arguments the question supplies (at most one call). */
export function planToolCalls(question: string, tools: ChatTool[]): PlannedCall[] {
  if (tools.length === 0 || question.trim() === "") return [];
  const facts = readFacts(question);
  const questionWords = new Set(words(question));
  const candidates: Array<{ name: string; args: Record<string, unknown>; score: number }> = [];
  for (const tool of tools) {
    if (tool?.type !== "function" || !tool.function?.name) continue;
    const s = score(tool, questionWords);
    if (s <= 0) continue;
    const args: Record<string, unknown> = {};
    let complete = true;
    const required = new Set(requiredOf(tool));
    let filled = 0;
    for (const [name, schema] of propertiesOf(tool)) {
      const value = fill(name, schema, facts);
      if (value !== undefined) {
        args[name] = value;
        filled++;
      } else if (required.has(name)) complete = false;
    }
    if (complete) candidates.push({ name: tool.function.name, args, score: s * 10 + filled });
  }
  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0];
  return best ? [{ name: best.name, arguments: best.args }] : [];
}
