// The built-in detectors: a regex that finds candidates cheaply, then a check that throws out
// look-alikes (Luhn for cards, mod-97 for IBANs, digit counts and shapes for phones).
import type { PiiType } from "./pii-types.js";

export interface Detector {
  type: PiiType;
  /** Cheap test on the whole text: skip the detector when it cannot match. */
  hint: RegExp;
  pattern: RegExp;
  validate?: (match: string, text: string, start: number) => boolean;
  /** Part of the match to report (e.g. without a leading separator). */
  group?: number;
}

function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function ibanValid(raw: string): boolean {
  const iban = raw.replace(/ /g, "").toUpperCase();
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 && code <= 90 ? String(code - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

const before = (text: string, start: number): string => (start > 0 ? text[start - 1]! : "");

function phoneValid(match: string, text: string, start: number): boolean {
  const digits = match.replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return false;
  // Glued to letters or other ids (ORD-2024-555-0123, v1.2.3) is not a phone.
  if (/[A-Za-z0-9_/-]/.test(before(text, start)) && !match.startsWith("+")) return false;
  if (/^\d{4}-\d{2}-\d{2}/.test(match)) return false; // a date
  if (match.startsWith("+")) return digits.length >= 7;
  // National formats need the separators phones are written with: (555) 123-4567, 555-123-4567, 555.123.4567.
  return /^\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}$/.test(match.trim());
}

function ssnValid(match: string): boolean {
  const [area, group, serial] = match.split("-");
  return area !== "000" && area !== "666" && !area!.startsWith("9") && group !== "00" && serial !== "0000";
}

function cardValid(match: string, text: string, start: number): boolean {
  const digits = match.replace(/[ -]/g, "");
  if (digits.length < 13 || digits.length > 19) return false;
  const n = digits.length;
  // Each network's prefixes and lengths: a Luhn-valid run of digits alone is too common.
  const network =
    (/^4/.test(digits) && (n === 13 || n === 16 || n === 19)) ||
    (/^(5[1-5]|2[2-7])/.test(digits) && n === 16) ||
    (/^3[47]/.test(digits) && n === 15) ||
    (/^(6011|65)/.test(digits) && n >= 16) ||
    (/^(30[0-5]|36|38)/.test(digits) && n >= 14) ||
    (/^35/.test(digits) && n >= 16);
  if (!network) return false;
  if (/[A-Za-z0-9_-]/.test(before(text, start))) return false;
  return luhn(digits);
}

function ipv4Valid(match: string, text: string, start: number): boolean {
  // Version strings (v1.2.3.4, "version 10.0.0.1") are not addresses.
  const prefix = text.slice(Math.max(0, start - 9), start).toLowerCase();
  if (/v$|version\s*$/.test(prefix)) return false;
  return match
    .split(".")
    .every((octet) => Number(octet) <= 255 && !(octet.length > 1 && octet.startsWith("0")));
}

function ipv6Valid(match: string): boolean {
  if (!match.includes(":")) return false;
  const doubles = match.split("::").length - 1;
  if (doubles > 1) return false;
  const groups = match.split(":").filter((g) => g !== "");
  if (groups.some((g) => g.length > 4)) return false;
  if (doubles === 0 && groups.length !== 8) return false;
  if (doubles === 1 && groups.length > 7) return false;
  // "12:30:45" (times) and short hex pairs are not addresses: ask for at least 3 groups and a hex letter or "::".
  return groups.length >= 3 && (doubles === 1 || /[a-f]/i.test(match));
}

export const DETECTORS: readonly Detector[] = [
  {
    type: "secret",
    hint: /sk-|sk_live|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abpr]-|eyJ|PRIVATE KEY|AIza|glpat-|hf_/,
    pattern:
      /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY-----[\s\S]*?-----END (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY-----|\b(?:sk-(?:ant-|proj-|or-)?[A-Za-z0-9_-]{20,}|sk_live_[A-Za-z0-9]{16,}|(?:AKIA|ASIA)[A-Z0-9]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|xox[abpr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20}|hf_[A-Za-z0-9]{30,}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/g,
  },
  { type: "credit_card", hint: /\d{4}/, pattern: /\b\d(?:[ -]?\d){12,18}\b/g, validate: cardValid },
  {
    type: "iban",
    hint: /[A-Z]{2}\d{2}/,
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g,
    validate: ibanValid,
  },
  { type: "us_ssn", hint: /\d{3}-\d{2}-\d{4}/, pattern: /\b\d{3}-\d{2}-\d{4}\b/g, validate: ssnValid },
  {
    type: "email",
    hint: /@/,
    pattern:
      /\b[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b/g,
  },
  {
    type: "phone",
    hint: /\d\d/,
    pattern: /\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){1,5}[\s.-]?\d{2,4}\b|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/g,
    validate: phoneValid,
  },
  {
    type: "ip_address",
    hint: /\d\.\d|:/,
    pattern:
      /\b(?:\d{1,3}\.){3}\d{1,3}\b|(?<![\w:])(?:[A-Fa-f0-9]{1,4}:){1,7}(?::|(?::[A-Fa-f0-9]{1,4}){1,7}|[A-Fa-f0-9]{1,4})(?![\w:])/g,
    validate: (match, text, start) =>
      match.includes(".") ? ipv4Valid(match, text, start) : ipv6Valid(match),
  },
];
