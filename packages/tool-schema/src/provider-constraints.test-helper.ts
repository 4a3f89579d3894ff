// Each provider's documented tool constraints, written as validators. A validator returns the list of
// violations (empty = the provider would accept the tool). Used by the fixture sweep and unit tests.
import type { JsonValue } from "@llmux/core";

type Obj = { [key: string]: JsonValue };
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Visits every subschema with its path. */
function eachSchema(
  schema: JsonValue,
  visit: (s: Obj, path: string, depth: number) => void,
  path = "",
  depth = 0,
): void {
  if (!isObj(schema)) return;
  visit(schema, path, depth);
  if (isObj(schema.properties)) {
    for (const [k, v] of Object.entries(schema.properties))
      eachSchema(v, visit, `${path}/properties/${k}`, depth + 1);
  }
  if (schema.items !== undefined) eachSchema(schema.items, visit, `${path}/items`, depth + 1);
  if (isObj(schema.additionalProperties))
    eachSchema(schema.additionalProperties, visit, `${path}/additionalProperties`, depth + 1);
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const list = schema[key];
    if (Array.isArray(list)) {
      list.forEach((v, i) => {
        eachSchema(v, visit, `${path}/${key}/${i}`, depth + 1);
      });
    }
  }
}

function rootRules(schema: unknown, where: string, errors: string[]): schema is Obj {
  if (!isObj(schema)) {
    errors.push(`${where} must be an object schema`);
    return false;
  }
  if (schema.type !== "object")
    errors.push(`${where}.type must be "object" (got ${JSON.stringify(schema.type)})`);
  for (const k of ["anyOf", "oneOf", "allOf", "enum", "not"]) {
    if (k in schema) errors.push(`${where} must not have "${k}" at the top level`);
  }
  return true;
}

function noRefs(schema: Obj, where: string, errors: string[]): void {
  eachSchema(schema, (s, path) => {
    if ("$ref" in s) errors.push(`${where}${path} has an unresolved $ref`);
    if ("$defs" in s || "definitions" in s) errors.push(`${where}${path} still has $defs`);
  });
}

function arraysHaveItems(schema: Obj, where: string, errors: string[]): void {
  eachSchema(schema, (s, path) => {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (types.includes("array") && s.items === undefined)
      errors.push(`${where}${path}: array schema missing items`);
  });
}

function requiredDeclared(schema: Obj, where: string, errors: string[]): void {
  eachSchema(schema, (s, path) => {
    if (Array.isArray(s.required)) {
      for (const r of s.required) {
        if (typeof r !== "string" || !isObj(s.properties) || !(r in s.properties)) {
          errors.push(`${where}${path}: required "${String(r)}" is not a declared property`);
        }
      }
    }
  });
}

const OPENAI_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const STRICT_KEYWORDS = new Set([
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
]);
const STRICT_FORMATS = new Set([
  "date-time",
  "time",
  "date",
  "duration",
  "email",
  "hostname",
  "ipv4",
  "ipv6",
  "uuid",
]);

/** OpenAI Chat Completions function tool (and Structured Outputs rules when `function.strict`). */
export function validateOpenAITool(tool: unknown): string[] {
  const errors: string[] = [];
  if (!isObj(tool) || tool.type !== "function" || !isObj(tool.function))
    return ["tool must be { type: 'function', function }"];
  const fn = tool.function;
  if (typeof fn.name !== "string" || !OPENAI_NAME.test(fn.name))
    errors.push(`function.name ${JSON.stringify(fn.name)} must match ${OPENAI_NAME}`);
  if (!rootRules(fn.parameters, "function.parameters", errors)) return errors;
  const params = fn.parameters as Obj;
  noRefs(params, "function.parameters", errors);
  arraysHaveItems(params, "function.parameters", errors);
  if (fn.strict === true) {
    eachSchema(params, (s, path, depth) => {
      const where = `function.parameters${path}`;
      if (depth > 10) errors.push(`${where}: nested deeper than 10 levels`);
      for (const key of Object.keys(s))
        if (!STRICT_KEYWORDS.has(key)) errors.push(`${where}: "${key}" is not supported in strict mode`);
      if (typeof s.format === "string" && !STRICT_FORMATS.has(s.format))
        errors.push(`${where}: format "${s.format}" not supported`);
      if (s.type === undefined && !s.anyOf && !s.enum && s.const === undefined)
        errors.push(`${where}: every schema needs a type in strict mode`);
      const types = Array.isArray(s.type) ? s.type : [s.type];
      if (types.includes("object")) {
        if (s.additionalProperties !== false) errors.push(`${where}: additionalProperties must be false`);
        const keys = isObj(s.properties) ? Object.keys(s.properties) : [];
        const req = Array.isArray(s.required) ? s.required : [];
        if (keys.length !== req.length || !keys.every((k) => req.includes(k)))
          errors.push(`${where}: every property must be required`);
      }
    });
  }
  return errors;
}

const ANTHROPIC_PROPERTY_KEY = /^[a-zA-Z0-9_.-]{1,64}$/;

/** Anthropic Messages tool. */
export function validateAnthropicTool(tool: unknown): string[] {
  const errors: string[] = [];
  if (!isObj(tool)) return ["tool must be an object"];
  if (typeof tool.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name))
    errors.push(`name ${JSON.stringify(tool.name)} invalid`);
  if (tool.description !== undefined && typeof tool.description !== "string")
    errors.push("description must be a string");
  if (!rootRules(tool.input_schema, "input_schema", errors)) return errors;
  const schema = tool.input_schema as Obj;
  noRefs(schema, "input_schema", errors);
  eachSchema(schema, (s, path) => {
    if (isObj(s.properties)) {
      for (const k of Object.keys(s.properties)) {
        if (!ANTHROPIC_PROPERTY_KEY.test(k))
          errors.push(`input_schema${path}: property key "${k}" must match ${ANTHROPIC_PROPERTY_KEY}`);
      }
    }
  });
  return errors;
}

/** Bedrock Converse `toolSpec`. */
export function validateBedrockTool(tool: unknown): string[] {
  const errors: string[] = [];
  if (!isObj(tool) || !isObj(tool.toolSpec)) return ["tool must be { toolSpec }"];
  const spec = tool.toolSpec;
  if (typeof spec.name !== "string" || !/^[a-zA-Z0-9_-]+$/.test(spec.name) || spec.name.length > 64) {
    errors.push(
      `toolSpec.name ${JSON.stringify(spec.name)} must match [a-zA-Z0-9_-]+ and be at most 64 long`,
    );
  }
  if (typeof spec.description !== "string" || spec.description.length < 1)
    errors.push("toolSpec.description must be a non-empty string");
  if (!isObj(spec.inputSchema) || !("json" in spec.inputSchema))
    return [...errors, "toolSpec.inputSchema must be { json }"];
  if (!rootRules(spec.inputSchema.json, "toolSpec.inputSchema.json", errors)) return errors;
  noRefs(spec.inputSchema.json as Obj, "toolSpec.inputSchema.json", errors);
  return errors;
}

const OLLAMA_KEYS = new Set(["type", "properties", "required", "items", "enum", "description", "anyOf"]);

/** Ollama `/api/chat` tool: what its Go structs decode (anything else would be lost silently). */
export function validateOllamaTool(tool: unknown): string[] {
  const errors: string[] = [];
  if (!isObj(tool) || tool.type !== "function" || !isObj(tool.function))
    return ["tool must be { type: 'function', function }"];
  const fn = tool.function;
  if (typeof fn.name !== "string" || !OPENAI_NAME.test(fn.name))
    errors.push(`function.name ${JSON.stringify(fn.name)} invalid`);
  if (!rootRules(fn.parameters, "function.parameters", errors)) return errors;
  eachSchema(fn.parameters as Obj, (s, path) => {
    for (const key of Object.keys(s))
      if (!OLLAMA_KEYS.has(key)) errors.push(`function.parameters${path}: "${key}" is not read by Ollama`);
    if (
      s.type !== undefined &&
      typeof s.type !== "string" &&
      !(Array.isArray(s.type) && s.type.every((t) => typeof t === "string"))
    ) {
      errors.push(`function.parameters${path}: type must be a string or an array of strings`);
    }
  });
  return errors;
}

const GEMINI_KEYS = new Set([
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
  "example",
  "anyOf",
  "propertyOrdering",
  "default",
  "items",
  "minimum",
  "maximum",
]);
const GEMINI_TYPES = new Set(["string", "number", "integer", "boolean", "array", "object"]);
const GEMINI_FORMATS: Record<string, Set<string>> = {
  string: new Set(["date-time", "enum"]),
  integer: new Set(["int32", "int64"]),
  number: new Set(["float", "double"]),
};

/** Gemini FunctionDeclaration (OpenAPI 3.0 Schema subset). */
export function validateGeminiDeclaration(decl: unknown): string[] {
  const errors: string[] = [];
  if (!isObj(decl)) return ["declaration must be an object"];
  if (typeof decl.name !== "string" || !/^[a-zA-Z_][a-zA-Z0-9_-]{0,62}$/.test(decl.name))
    errors.push(`name ${JSON.stringify(decl.name)} invalid`);
  if (decl.parameters === undefined) return errors;
  if (!isObj(decl.parameters) || decl.parameters.type !== "object")
    return [...errors, 'parameters.type must be "object"'];
  if (!isObj(decl.parameters.properties) || Object.keys(decl.parameters.properties).length === 0) {
    errors.push("parameters.properties must be non-empty (omit parameters for no-argument functions)");
  }
  requiredDeclared(decl.parameters, "parameters", errors);
  eachSchema(decl.parameters, (s, path) => {
    const where = `parameters${path}`;
    for (const key of Object.keys(s))
      if (!GEMINI_KEYS.has(key)) errors.push(`${where}: "${key}" is not in Gemini's Schema`);
    if (s.type !== undefined && (typeof s.type !== "string" || !GEMINI_TYPES.has(s.type)))
      errors.push(`${where}: type ${JSON.stringify(s.type)} invalid`);
    if (Array.isArray(s.enum) && !s.enum.every((v) => typeof v === "string"))
      errors.push(`${where}: enum values must be strings`);
    if (typeof s.format === "string") {
      const allowed = typeof s.type === "string" ? GEMINI_FORMATS[s.type] : undefined;
      if (!allowed?.has(s.format))
        errors.push(`${where}: format "${s.format}" not supported for ${String(s.type)}`);
    }
    if (s.type === "array" && s.items === undefined) errors.push(`${where}: array needs items`);
    if (Array.isArray(s.anyOf)) {
      for (const k of ["type", "properties", "items", "required"]) {
        if (k in s) errors.push(`${where}: "${k}" beside anyOf (Gemini wants the union alone)`);
      }
    }
    if (Array.isArray(s.required) && !isObj(s.properties))
      errors.push(`${where}: required without properties`);
  });
  return errors;
}
