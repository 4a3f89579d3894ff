import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

type JsonObject = Record<string, unknown>;

// One Ajv for the process: compiled validators are cached per schema object.
let ajv: Ajv | undefined;
const compiled = new WeakMap<object, ValidateFunction | null>();

function getAjv(): Ajv {
  ajv ??= new Ajv({ allErrors: true, strict: false, validateFormats: false, logger: false });
  return ajv;
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

function compile(schema: JsonObject): ValidateFunction | null {
  if (compiled.has(schema)) return compiled.get(schema) ?? null;
  let validate: ValidateFunction | null = null;
  try {
    // `$schema` of another draft (2020-12) would make Ajv's draft-07 core refuse the whole schema.
    const { $schema: _ignored, ...rest } = schema;
    validate = getAjv().compile(rest);
  } catch {
    // A schema Ajv cannot compile: the server validates instead.
    validate = null;
  }
  compiled.set(schema, validate);
  return validate;
}

function acceptsNull(schema: unknown): boolean {
  if (!isObject(schema)) return true;
  const t = schema.type;
  if (t === undefined && !schema.anyOf && !schema.oneOf && !schema.enum && schema.const === undefined)
    return true;
  if (t === "null" || (Array.isArray(t) && t.includes("null"))) return true;
  if (schema.nullable === true) return true;
  for (const key of ["anyOf", "oneOf"]) {
    const list = schema[key];
    if (Array.isArray(list) && list.some(acceptsNull)) return true;
  }
  return Array.isArray(schema.enum) && schema.enum.includes(null);
}

/**
 * Removes `null` values the model sent for optional arguments that do not accept null (strict-mode
 * models must send every field; `null` there means "not given").
 */
export function dropNullOptionalArguments(args: JsonObject, schema: unknown): JsonObject {
  if (!isObject(schema) || !isObject(schema.properties)) return args;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  let out: JsonObject | undefined;
  for (const [key, value] of Object.entries(args)) {
    if (value !== null || required.has(key)) continue;
    if (acceptsNull(schema.properties[key])) continue;
    out ??= { ...args };
    delete out[key];
  }
  return out ?? args;
}

function formatError(error: ErrorObject): string {
  const where = error.instancePath || "(arguments)";
  if (error.keyword === "required")
    return `${where}: missing required property "${String(error.params.missingProperty)}"`;
  if (error.keyword === "additionalProperties") {
    return `${where}: unknown property "${String(error.params.additionalProperty)}"`;
  }
  if (error.keyword === "enum")
    return `${where}: must be one of ${JSON.stringify(error.params.allowedValues)}`;
  return `${where} ${error.message ?? "is invalid"}`;
}

/** Checks tool arguments against the tool's input schema; returns readable problems (empty when valid). */
export function validateToolArguments(args: unknown, schema: unknown): string[] {
  if (!isObject(schema)) return [];
  const validate = compile(schema);
  if (!validate) return [];
  if (validate(args)) return [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) seen.add(formatError(error));
  return [...seen].slice(0, 10);
}
