import type { ContentPart, TextPart } from "@llmux/core";

/** The parts of an MCP `CallToolResult` that become a tool message (kept loose: servers send many shapes). */
export interface McpCallToolResult {
  content?: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
  /** Pre-2025 servers: `{ toolResult }` instead of `content`. */
  toolResult?: unknown;
  [key: string]: unknown;
}

export interface ToolResultContent {
  /** A string when the result is text only; parts when it carries images. */
  content: string | ContentPart[];
  isError: boolean;
}

type Block = Record<string, unknown>;

const isBlock = (v: unknown): v is Block => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function approxBytes(base64: string): number {
  return Math.floor((base64.length * 3) / 4);
}

function stableEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** One MCP content block as message parts (text stays text; images become data URLs). */
function blockToParts(block: unknown): ContentPart[] {
  if (!isBlock(block)) return [{ type: "text", text: JSON.stringify(block) }];
  switch (block.type) {
    case "text":
      return [{ type: "text", text: str(block.text) ?? "" }];
    case "image": {
      const data = str(block.data);
      const mime = str(block.mimeType) ?? "image/png";
      if (!data) return [{ type: "text", text: `[image ${mime} without data]` }];
      return [{ type: "image_url", image_url: { url: `data:${mime};base64,${data}` } }];
    }
    case "audio": {
      const data = str(block.data) ?? "";
      const mime = str(block.mimeType) ?? "audio";
      const format =
        mime === "audio/wav" || mime === "audio/x-wav"
          ? "wav"
          : mime === "audio/mpeg" || mime === "audio/mp3"
            ? "mp3"
            : undefined;
      if (format && data) return [{ type: "input_audio", input_audio: { data, format } }];
      return [{ type: "text", text: `[audio ${mime}, ${approxBytes(data)} bytes, not passed to the model]` }];
    }
    case "resource": {
      const resource = isBlock(block.resource) ? block.resource : {};
      const uri = str(resource.uri) ?? "(no uri)";
      const mime = str(resource.mimeType);
      const text = str(resource.text);
      if (text !== undefined) {
        return [{ type: "text", text: `Resource ${uri}${mime ? ` (${mime})` : ""}:\n${text}` }];
      }
      const blob = str(resource.blob);
      if (blob && mime?.startsWith("image/")) {
        return [
          { type: "text", text: `Resource ${uri} (${mime}):` },
          { type: "image_url", image_url: { url: `data:${mime};base64,${blob}` } },
        ];
      }
      return [
        {
          type: "text",
          text: `Resource ${uri}${mime ? ` (${mime})` : ""}: binary, ${approxBytes(blob ?? "")} bytes, not passed to the model`,
        },
      ];
    }
    case "resource_link": {
      const name = str(block.name) ?? str(block.title) ?? "resource";
      const uri = str(block.uri) ?? "(no uri)";
      const desc = str(block.description);
      return [{ type: "text", text: `Resource link: ${name} <${uri}>${desc ? ` — ${desc}` : ""}` }];
    }
    default:
      // Unknown block types: their JSON, never "[object Object]".
      return [{ type: "text", text: JSON.stringify(block) }];
  }
}

/**
 * Turns an MCP tool result into tool-message content: text as text, images as `image_url` data-URL parts,
 * embedded resources with their URI, `structuredContent` as JSON when the text does not already carry it,
 * and `isError` preserved.
 *
 * @example
 * const { content, isError } = toolResultToContent(await client.callTool({ name, arguments: args }));
 */
export function toolResultToContent(result: McpCallToolResult): ToolResultContent {
  const isError = result?.isError === true;
  const parts: ContentPart[] = [];
  if (Array.isArray(result?.content)) {
    for (const block of result.content) parts.push(...blockToParts(block));
  } else if (result && "toolResult" in result) {
    parts.push({
      type: "text",
      text: typeof result.toolResult === "string" ? result.toolResult : JSON.stringify(result.toolResult),
    });
  }
  if (result?.structuredContent !== undefined) {
    const texts = parts.filter((p): p is TextPart => p.type === "text");
    const alreadyThere = texts.some((p) => {
      try {
        return stableEqual(JSON.parse(p.text), result.structuredContent);
      } catch {
        return false;
      }
    });
    if (!alreadyThere) parts.push({ type: "text", text: JSON.stringify(result.structuredContent) });
  }
  // Merge adjacent text parts; a text-only result is a plain string (every provider accepts it).
  const merged: ContentPart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (part.type === "text" && last?.type === "text") last.text = `${last.text}\n${part.text}`;
    else merged.push(part.type === "text" ? { ...part } : part);
  }
  if (merged.length === 0)
    return {
      content: isError ? "The tool failed without a message." : "(the tool returned no content)",
      isError,
    };
  if (merged.every((p) => p.type === "text"))
    return { content: merged.map((p) => (p as TextPart).text).join("\n"), isError };
  return { content: merged, isError };
}
