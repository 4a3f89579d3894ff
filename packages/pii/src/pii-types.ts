export const PII_TYPES = ["email", "phone", "credit_card", "us_ssn", "iban", "ip_address", "secret"] as const;

/** A kind of personal or secret data. */
export type PiiType = (typeof PII_TYPES)[number];

/** One piece of personal data found in a text: `text.slice(start, end) === value`. */
export interface PiiFinding {
  type: PiiType | (string & {});
  start: number;
  end: number;
  value: string;
}

/** A detector of your own: a global regex and an optional check of each match. */
export interface CustomDetector {
  type: string;
  pattern: RegExp;
  validate?: (match: string) => boolean;
}

export interface PiiOptions {
  /** Only these built-in types (default: all). */
  types?: readonly PiiType[];
  /** Values never reported (exact strings, or patterns tested against the value). */
  allow?: ReadonlyArray<string | RegExp>;
  /** Extra detectors, run after the built-in ones. */
  custom?: readonly CustomDetector[];
}
