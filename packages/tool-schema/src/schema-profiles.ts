import type { ToolTarget } from "./tool-types.js";

/** How a target wants JSON Schema written. One row per target: differences live here, not in branches. */
export interface SchemaProfile {
  /** Keywords kept as they are. `undefined`: every keyword not in `drop`. */
  keep?: ReadonlySet<string>;
  /** Keywords removed (in addition to those not in `keep`). */
  drop: ReadonlySet<string>;
  /** How "or null" is written: `type: [t, "null"]` (JSON Schema) or `nullable: true` (OpenAPI 3.0). */
  nullStyle: "type-array" | "nullable";
  /** `oneOf` kept, or rewritten as `anyOf` (same meaning for the model; the only union some accept). */
  oneOf: "keep" | "anyOf";
  /** `allOf` kept, or merged into one schema. */
  allOf: "keep" | "merge";
  /** `const` kept, or written as a one-value `enum`. */
  const: "keep" | "enum";
  /** Only string enums allowed (Gemini). */
  stringEnumsOnly: boolean;
  /** Allowed `format` values per type; absent: every format is kept. */
  formats?: Readonly<Record<string, ReadonlySet<string>>>;
  /** A schema must not be untyped (`{}`): recorded as a blocker (OpenAI strict). */
  typedOnly: boolean;
  /** Property names the target accepts (Anthropic: `^[a-zA-Z0-9_.-]{1,64}$`). */
  propertyKey?: RegExp;
  /** A node with `anyOf` may not also carry type/properties/items (Gemini). */
  unionOnlyNodes?: boolean;
}

const ALWAYS_DROP = new Set(["$schema", "$id", "$comment", "$anchor", "$dynamicAnchor", "$vocabulary"]);

const ANTHROPIC_PROPERTY_KEY = /^[a-zA-Z0-9_.-]{1,64}$/;

const JSON_SCHEMA_PASSTHROUGH: SchemaProfile = {
  drop: ALWAYS_DROP,
  nullStyle: "type-array",
  oneOf: "keep",
  allOf: "keep",
  const: "keep",
  stringEnumsOnly: false,
  typedOnly: false,
};

/** Profiles per target, plus `openai-strict` (OpenAI Structured Outputs subset). */
export const SCHEMA_PROFILES: Readonly<Record<ToolTarget | "openai-strict", SchemaProfile>> = {
  // OpenAI (non-strict) and Anthropic accept JSON Schema broadly; they reject only what the top-level
  // rules (object at the root, no root combinators) and `$ref`s pointing outside catch.
  openai: JSON_SCHEMA_PASSTHROUGH,
  anthropic: { ...JSON_SCHEMA_PASSTHROUGH, propertyKey: ANTHROPIC_PROPERTY_KEY },
  // Converse passes the schema to the model (Claude, Nova, Llama…): the same broad JSON Schema, and
  // Claude on Bedrock has Anthropic's property-key rule.
  bedrock: { ...JSON_SCHEMA_PASSTHROUGH, propertyKey: ANTHROPIC_PROPERTY_KEY },
  // Structured Outputs: the documented supported keyword subset.
  "openai-strict": {
    keep: new Set([
      "type",
      "properties",
      "required",
      "additionalProperties",
      "items",
      "enum",
      "const",
      "anyOf",
      "description",
      "title",
      "pattern",
      "format",
      "minimum",
      "maximum",
      "exclusiveMinimum",
      "exclusiveMaximum",
      "multipleOf",
      "minItems",
      "maxItems",
    ]),
    drop: ALWAYS_DROP,
    nullStyle: "type-array",
    oneOf: "anyOf",
    allOf: "merge",
    const: "keep",
    stringEnumsOnly: false,
    formats: {
      string: new Set(["date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"]),
    },
    typedOnly: true,
  },
  // Ollama decodes tools into Go structs (type, description, enum, items, properties, required, anyOf):
  // anything else is silently lost, so it goes into the description instead.
  ollama: {
    keep: new Set(["type", "properties", "required", "items", "enum", "description", "anyOf"]),
    drop: ALWAYS_DROP,
    nullStyle: "type-array",
    oneOf: "anyOf",
    allOf: "merge",
    const: "enum",
    stringEnumsOnly: false,
    typedOnly: false,
  },
  // Gemini: the OpenAPI 3.0 Schema subset of FunctionDeclaration.parameters.
  gemini: {
    keep: new Set([
      "type",
      "format",
      "title",
      "description",
      "nullable",
      "enum",
      "maxItems",
      "minItems",
      "properties",
      "required",
      "minProperties",
      "maxProperties",
      "minLength",
      "maxLength",
      "pattern",
      "anyOf",
      "items",
      "minimum",
      "maximum",
      "propertyOrdering",
    ]),
    drop: ALWAYS_DROP,
    nullStyle: "nullable",
    unionOnlyNodes: true,
    oneOf: "anyOf",
    allOf: "merge",
    const: "enum",
    stringEnumsOnly: true,
    formats: {
      string: new Set(["date-time", "enum"]),
      integer: new Set(["int32", "int64"]),
      number: new Set(["float", "double"]),
    },
    typedOnly: false,
  },
};

/** Keywords whose value, when dropped, is worth telling the model in the description. */
export const HINT_KEYWORDS: ReadonlySet<string> = new Set([
  "default",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "const",
  "examples",
]);

/** Keywords dropped without a warning: they never change what arguments are valid. */
export const QUIET_KEYWORDS: ReadonlySet<string> = new Set([
  "$schema",
  "$id",
  "$comment",
  "$anchor",
  "$dynamicAnchor",
  "$vocabulary",
  "title",
  "examples",
  "$defs",
  "definitions",
  "readOnly",
  "writeOnly",
  "deprecated",
  "contentMediaType",
  "contentEncoding",
]);
