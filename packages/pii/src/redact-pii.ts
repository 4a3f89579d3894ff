import { detectPii } from "./detect-pii.js";
import type { PiiFinding, PiiOptions } from "./pii-types.js";

export interface RedactionResult {
  text: string;
  findings: PiiFinding[];
  /** Placeholder → original value, for `restorePii`. */
  replacements: Map<string, string>;
}

/**
 * Replaces personal data with stable placeholders (`[EMAIL_1]`, `[PHONE_1]`…); the same value always
 * gets the same placeholder, so a model can still refer to it.
 *
 * @example
 * const { text, replacements } = redactPii("Contact alice@example.com");
 * // text: "Contact [EMAIL_1]"; later restorePii(answer, replacements)
 */
export function redactPii(
  text: string,
  options: PiiOptions & { replacements?: Map<string, string> } = {},
): RedactionResult {
  const findings = detectPii(text, options);
  const replacements = options.replacements ?? new Map<string, string>();
  const byValue = new Map<string, string>();
  const counters = new Map<string, number>();
  for (const [placeholder, value] of replacements) {
    byValue.set(value, placeholder);
    const type = /^\[([A-Z_]+)_\d+\]$/.exec(placeholder)?.[1];
    if (type) counters.set(type, (counters.get(type) ?? 0) + 1);
  }
  let out = "";
  let cursor = 0;
  for (const f of findings) {
    let placeholder = byValue.get(f.value);
    if (!placeholder) {
      const type = f.type.toUpperCase();
      const n = (counters.get(type) ?? 0) + 1;
      counters.set(type, n);
      placeholder = `[${type}_${n}]`;
      byValue.set(f.value, placeholder);
      replacements.set(placeholder, f.value);
    }
    out += text.slice(cursor, f.start) + placeholder;
    cursor = f.end;
  }
  out += text.slice(cursor);
  return { text: out, findings, replacements };
}

/** Puts the original values back where placeholders from `redactPii` appear. */
export function restorePii(text: string, replacements: ReadonlyMap<string, string>): string {
  if (replacements.size === 0 || !text.includes("[")) return text;
  return text.replace(/\[[A-Z_]+_\d+\]/g, (placeholder) => replacements.get(placeholder) ?? placeholder);
}
