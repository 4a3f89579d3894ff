export { containsPii, detectPii } from "./detect-pii.js";
export type { CustomDetector, PiiFinding, PiiOptions, PiiType } from "./pii-types.js";
export { PII_TYPES } from "./pii-types.js";
export type { RedactionResult } from "./redact-pii.js";
export { redactPii, restorePii } from "./redact-pii.js";
