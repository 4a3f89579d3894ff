import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { containsPii, detectPii, PII_TYPES, redactPii, restorePii } from "./index.js";

interface Example {
  text: string;
  expected: Array<{ type: string; value: string }>;
}
const labelled: Example[] = JSON.parse(
  readFileSync(join(import.meta.dirname, "__fixtures__/labelled-set.json"), "utf8"),
);

describe("detectPii on the labelled set", () => {
  it.each(labelled.filter((e) => e.expected.length > 0).map((e) => [e.text, e] as const))(
    "finds what %j holds",
    (_, example) => {
      const found = detectPii(example.text).map((f) => ({ type: f.type, value: f.value }));
      expect(found).toEqual(example.expected);
    },
  );

  it.each(labelled.filter((e) => e.expected.length === 0).map((e) => [e.text] as const))(
    "finds nothing in the hard negative %j",
    (text) => {
      expect(detectPii(text)).toEqual([]);
      expect(containsPii(text)).toBe(false);
    },
  );
});

describe("detectPii", () => {
  it("reports spans that slice back to the value", () => {
    const text = "Write to alice@example.com or call +1-555-0123.";
    for (const f of detectPii(text)) expect(text.slice(f.start, f.end)).toBe(f.value);
  });

  it("rejects card numbers that fail Luhn and IBANs that fail mod-97", () => {
    expect(detectPii("4111 1111 1111 1112")).toEqual([]);
    expect(detectPii("DE89 3704 0044 0532 0130 01")).toEqual([]);
  });

  it("limits to chosen types, honours an allow list, and runs custom detectors", () => {
    const text = "alice@example.com +1-555-0123 EMP-00042";
    expect(detectPii(text, { types: ["phone"] }).map((f) => f.type)).toEqual(["phone"]);
    expect(detectPii(text, { allow: ["alice@example.com"], types: ["email"] })).toEqual([]);
    expect(detectPii(text, { types: [], custom: [{ type: "employee_id", pattern: /EMP-\d{5}/g }] })).toEqual([
      { type: "employee_id", start: 30, end: 39, value: "EMP-00042" },
    ]);
  });

  it("rejects non-string input with a clear error", () => {
    expect(() => detectPii(undefined as unknown as string)).toThrow(/expected a string, got undefined/);
  });

  it("covers every declared type", () => {
    const all = new Set(labelled.flatMap((e) => e.expected.map((x) => x.type)));
    for (const t of PII_TYPES) expect(all).toContain(t);
  });
});

describe("redactPii / restorePii", () => {
  it("masks with stable placeholders and restores the answer", () => {
    const { text, replacements } = redactPii(
      "alice@example.com wrote; reply to alice@example.com or +1-555-0123",
    );
    expect(text).toBe("[EMAIL_1] wrote; reply to [EMAIL_1] or [PHONE_1]");
    expect(restorePii("I emailed [EMAIL_1] and called [PHONE_1].", replacements)).toBe(
      "I emailed alice@example.com and called +1-555-0123.",
    );
  });

  it("keeps numbering across texts that share a replacement map", () => {
    const first = redactPii("bob@example.com");
    const second = redactPii("alice@example.com and bob@example.com", { replacements: first.replacements });
    expect(second.text).toBe("[EMAIL_2] and [EMAIL_1]");
  });

  it("leaves unknown placeholders as they are", () => {
    expect(restorePii("[EMAIL_9]", new Map([["[EMAIL_1]", "a@b.co"]]))).toBe("[EMAIL_9]");
  });
});
