import type { ContentPart, TextPart } from "./chat-types.js";

/** The text of a message's content: strings as they are, text parts joined, other parts left out. */
export function contentToText(content: string | ContentPart[] | TextPart[] | null | undefined): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  let out = "";
  for (const part of content) if (part.type === "text") out += part.text;
  return out;
}

export interface DataUrl {
  mediaType: string;
  base64: string;
}

/** Parses a `data:<media type>;base64,<data>` URL (images in messages); `undefined` for other URLs. */
export function parseDataUrl(url: string): DataUrl | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (!match?.[1] || match[2] === undefined) return undefined;
  return { mediaType: match[1], base64: match[2] };
}
