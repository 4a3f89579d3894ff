const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/**
 * Bedrock accepts names and toolUse ids matching `[a-zA-Z0-9_-]{1,64}`. Others (ids from other
 * providers, MCP names with dots) are rewritten deterministically, so a toolUse and its toolResult
 * still match.
 */
export function toBedrockIdentifier(value: string): string {
  if (VALID.test(value)) return value;
  const cleaned = value.replace(/[^a-zA-Z0-9_-]/g, "_") || "id";
  return cleaned.length <= 55 ? `${cleaned}_${hash(value)}` : `${cleaned.slice(0, 55)}_${hash(value)}`;
}
