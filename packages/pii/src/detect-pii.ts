import { DETECTORS } from "./detectors.js";
import type { PiiFinding, PiiOptions, PiiType } from "./pii-types.js";

function allowed(value: string, allow: PiiOptions["allow"]): boolean {
  if (!allow) return false;
  return allow.some((a) => (typeof a === "string" ? a === value : a.test(value)));
}

function* candidates(text: string, options: PiiOptions): Generator<PiiFinding> {
  const types = options.types ? new Set<PiiType>(options.types) : undefined;
  for (const d of DETECTORS) {
    if (types && !types.has(d.type)) continue;
    if (!d.hint.test(text)) continue;
    d.pattern.lastIndex = 0;
    for (const m of text.matchAll(d.pattern)) {
      const value = m[0];
      const start = m.index;
      if (d.validate && !d.validate(value, text, start)) continue;
      if (allowed(value, options.allow)) continue;
      yield { type: d.type, start, end: start + value.length, value };
    }
  }
  for (const c of options.custom ?? []) {
    const pattern = c.pattern.global ? c.pattern : new RegExp(c.pattern.source, `${c.pattern.flags}g`);
    for (const m of text.matchAll(pattern)) {
      if (c.validate && !c.validate(m[0])) continue;
      if (allowed(m[0], options.allow)) continue;
      yield { type: c.type, start: m.index, end: m.index + m[0].length, value: m[0] };
    }
  }
}

/**
 * Finds personal and secret data in a text, with spans. Overlaps are resolved in favour of the
 * detector listed first (secrets, cards, IBANs, SSNs, emails, phones, IPs), then the longer match.
 *
 * @example
 * detectPii("Mail alice@example.com or call +1-555-0123")
 * // [{ type: "email", start: 5, end: 22, value: "alice@example.com" }, { type: "phone", start: 31, end: 42, value: "+1-555-0123" }]
 */
export function detectPii(text: string, options: PiiOptions = {}): PiiFinding[] {
  if (typeof text !== "string")
    throw new TypeError(`detectPii: expected a string, got ${text === null ? "null" : typeof text}`);
  const accepted: PiiFinding[] = [];
  for (const f of candidates(text, options)) {
    if (accepted.some((a) => f.start < a.end && a.start < f.end)) continue;
    accepted.push(f);
  }
  return accepted.sort((a, b) => a.start - b.start);
}

/** Whether the text contains any personal data; stops at the first finding. */
export function containsPii(text: string, options: PiiOptions = {}): boolean {
  if (typeof text !== "string")
    throw new TypeError(`containsPii: expected a string, got ${text === null ? "null" : typeof text}`);
  for (const _ of candidates(text, options)) return true;
  return false;
}
