import type { JsonSchema, JsonValue } from "@llmux/core";
import { HINT_KEYWORDS, QUIET_KEYWORDS, SCHEMA_PROFILES, type SchemaProfile } from "./schema-profiles.js";
import type { ToolSchemaWarning, ToolTarget } from "./tool-types.js";

type JsonObject = { [key: string]: JsonValue };

/** A schema issue found while sanitising (the tool name and target are added by the caller). */
export type SchemaIssue = Omit<ToolSchemaWarning, "tool" | "target">;

export interface SanitizeOptions {
  /** OpenAI only: write the Structured Outputs (strict) subset. */
  strict?: boolean;
}

export interface SanitizedSchema {
  /** The schema the target accepts; its root is always `type: "object"`. Absent when `error` is set. */
  schema?: JsonSchema & { type: "object" };
  issues: SchemaIssue[];
  /** Why the schema cannot be made valid for the target (the tool should be quarantined). */
  error?: string;
  /** Strict was asked for but is impossible; the schema is the non-strict one, and this says why. */
  strictUnavailable?: string[];
}

// OpenAI Structured Outputs limits (documented).
const STRICT_MAX_DEPTH = 10;
const STRICT_MAX_PROPERTIES = 5000;
const MAX_INLINE_DEPTH = 64;

interface Context {
  profile: SchemaProfile;
  strict: boolean;
  root: JsonValue;
  refStack: string[];
  issues: SchemaIssue[];
  blockers: string[];
  propertyCount: number;
  /** Set when the schema cannot be sent at all (the tool is quarantined). */
  fatal?: string;
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

function formatHint(key: string, value: JsonValue): string | undefined {
  if (value === null || typeof value !== "object") return `${key}: ${JSON.stringify(value)}`;
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== "object")) {
    return `${key}: ${JSON.stringify(value)}`;
  }
  return undefined;
}

function unescapePointer(token: string): string {
  return decodeURIComponent(token).replace(/~1/g, "/").replace(/~0/g, "~");
}

function resolvePointer(root: JsonValue, ref: string): JsonValue | undefined {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let node: JsonValue | undefined = root;
  for (const raw of ref.slice(2).split("/")) {
    const token = unescapePointer(raw);
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function addHint(hints: string[] | undefined, hint: string): string[] {
  if (!hints) return [hint];
  hints.push(hint);
  return hints;
}

const pathOf = (path: string, key: string): string => `${path}/${key}`;
const UNION_KEYS = ["anyOf", "oneOf"] as const;

function typesOf(node: JsonObject): string[] | undefined {
  const t = node.type;
  if (typeof t === "string") return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string");
  return undefined;
}

const isNullSchema = (v: JsonValue): boolean =>
  isObject(v) &&
  (v.type === "null" ||
    (Array.isArray(v.enum) && v.enum.length === 1 && v.enum[0] === null) ||
    v.const === null);

/** Merges object-ish schemas (allOf, or flattening a root union): properties and required. */
function mergeSchemas(
  parts: JsonObject[],
  requiredMode: "union" | "intersection",
  baseRequired: string[] = [],
): JsonObject {
  const merged: JsonObject = {};
  const properties: JsonObject = {};
  let required: string[] | undefined;
  let sawProperties = false;
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === "properties" && isObject(value)) {
        sawProperties = true;
        for (const [name, schema] of Object.entries(value))
          if (!(name in properties)) properties[name] = schema;
      } else if (key === "required" && Array.isArray(value)) {
        // handled below
      } else if (key === "description" && typeof merged.description === "string") {
        // first description wins
      } else if (!(key in merged)) merged[key] = value;
    }
  }
  for (const part of parts) {
    const req = Array.isArray(part.required)
      ? part.required.filter((r): r is string => typeof r === "string")
      : [];
    if (required === undefined) required = req;
    else if (requiredMode === "union") required = [...new Set([...required, ...req])];
    else required = required.filter((r) => req.includes(r));
  }
  if (sawProperties) merged.properties = properties;
  const all = [...new Set([...baseRequired, ...(required ?? [])])];
  if (all.length > 0) merged.required = all;
  return merged;
}

function makeNullable(node: JsonObject, profile: SchemaProfile): JsonObject {
  if (profile.nullStyle === "nullable") {
    node.nullable = true;
    return node;
  }
  const types = typesOf(node);
  if (types) {
    if (!types.includes("null")) node.type = [...types, "null"];
    if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum = [...node.enum, null];
    return node;
  }
  if (Array.isArray(node.anyOf)) {
    if (!node.anyOf.some(isNullSchema)) node.anyOf = [...node.anyOf, { type: "null" }];
    return node;
  }
  if (Array.isArray(node.enum)) {
    if (!node.enum.includes(null)) node.enum = [...node.enum, null];
    return node;
  }
  // Untyped: already accepts null.
  return node;
}

function walk(input: JsonValue, path: string, depth: number, ctx: Context): JsonObject {
  const { profile } = ctx;
  if (input === true || (isObject(input) && Object.keys(input).length === 0)) {
    if (ctx.strict) ctx.blockers.push(`${path || "/"} accepts any value (strict mode needs a type)`);
    return {};
  }
  if (!isObject(input)) {
    ctx.issues.push({
      code: "dropped-keyword",
      path,
      message: `schema ${JSON.stringify(input)} is not an object; treated as "any value"`,
    });
    if (ctx.strict) ctx.blockers.push(`${path || "/"} is not a schema object`);
    return {};
  }
  if (depth > MAX_INLINE_DEPTH) {
    ctx.issues.push({
      code: "recursive-ref",
      path,
      message: "schema nested too deeply; cut here and treated as any value",
    });
    return {};
  }

  let node: JsonObject = input;

  // 1. $ref: inline it (with the ref's siblings applied on top), cutting cycles.
  if (typeof node.$ref === "string") {
    const ref = node.$ref;
    const { $ref: _ref, ...siblings } = node;
    if (ctx.refStack.includes(ref)) {
      ctx.issues.push({
        code: "recursive-ref",
        path,
        message: `recursive $ref "${ref}" cut at this depth; the model sees an object with no declared fields here`,
      });
      ctx.blockers.push(`${path || "/"} is recursive ($ref "${ref}")`);
      const cut: JsonObject = { type: "object" };
      const desc = typeof siblings.description === "string" ? siblings.description : undefined;
      cut.description = `${desc ? `${desc} ` : ""}(recursive structure: same shape as its parent)`;
      return cut;
    }
    const target = resolvePointer(ctx.root, ref);
    if (target === undefined) {
      ctx.issues.push({
        code: "unresolved-ref",
        path,
        message: `$ref "${ref}" cannot be resolved inside the schema; treated as any value`,
      });
      ctx.blockers.push(`${path || "/"} has an unresolvable $ref "${ref}"`);
      return walk(siblings, path, depth + 1, ctx);
    }
    ctx.refStack.push(ref);
    const resolved = isObject(target) ? { ...target, ...siblings } : target;
    const out = walk(resolved, path, depth + 1, ctx);
    ctx.refStack.pop();
    return out;
  }

  let nullable = false;
  let hints: string[] | undefined;

  // 2. `type: [..., "null"]` → nullable flag + remaining types.
  let types = typesOf(node);
  if (types?.includes("null")) {
    nullable = true;
    types = types.filter((t) => t !== "null");
  }

  // 3. anyOf/oneOf: pull `null` out; a single remaining variant is merged into this node.
  for (const key of UNION_KEYS) {
    const variants = node[key];
    if (!Array.isArray(variants)) continue;
    const nonNull = variants.filter((v) => !isNullSchema(v));
    if (nonNull.length < variants.length) nullable = true;
    const { [key]: _drop, ...rest } = node;
    if (nonNull.length === 1 && isObject(nonNull[0]!)) {
      // `{ anyOf: [X, null], description }`: the outer description wins over X's.
      const inner = nonNull[0] as JsonObject;
      node = { ...(inner.$ref !== undefined ? walk(inner, path, depth + 1, ctx) : inner), ...rest };
      if (nonNull.length < variants.length && key === "oneOf" && profile.oneOf === "anyOf") {
        // nothing else to say: X-or-null is what the target expresses with a nullable type
      }
      types = typesOf(node);
      if (types?.includes("null")) types = types.filter((t) => t !== "null");
    } else if (nonNull.length === 0) {
      node = { ...rest };
    } else {
      node = { ...rest, [key]: nonNull };
    }
  }
  if (types?.length === 0) types = undefined;

  // 4. allOf: merge where the target has no allOf.
  if (Array.isArray(node.allOf) && profile.allOf === "merge") {
    const { allOf, ...rest } = node;
    const parts = allOf.map((p, i) => walk(p, `${path}/allOf/${i}`, depth + 1, ctx));
    node = mergeSchemas([rest, ...parts], "union");
    ctx.issues.push({ code: "combinator", path, message: "allOf merged into one schema" });
    types = typesOf(node);
  }

  const out: JsonObject = {};

  // type
  if (types && types.length > 0) {
    if (types.length === 1) out.type = types[0]!;
    else if (profile.nullStyle === "nullable") {
      // OpenAPI 3.0 has no type arrays: a union of single-type schemas.
      out.anyOf = types.map((t) => ({ type: t }));
      ctx.issues.push({
        code: "combinator",
        path,
        message: `type ${JSON.stringify(types)} written as anyOf`,
      });
    } else out.type = types;
  } else if (node.type !== undefined && !Array.isArray(node.type)) {
    out.type = node.type;
  }

  for (const key in node) {
    if (key === "type" || key === "nullable") continue;
    const value = node[key]!;
    switch (key) {
      case "properties": {
        if (!isObject(value)) break;
        const props: JsonObject = {};
        for (const [name, schema] of Object.entries(value)) {
          ctx.propertyCount++;
          if (profile.propertyKey && !profile.propertyKey.test(name) && !ctx.fatal) {
            // Renaming would change the arguments the server receives: refuse instead.
            ctx.fatal = `property "${name}" at ${pathOf(path, key)} does not match ${profile.propertyKey} (the target rejects such keys)`;
          }
          props[name] = walk(schema, `${pathOf(path, key)}/${name}`, depth + 1, ctx);
        }
        out.properties = props;
        continue;
      }
      case "items": {
        if (Array.isArray(value)) {
          // Tuple form (draft 4–7): most targets take one item schema.
          ctx.issues.push({
            code: "combinator",
            path: pathOf(path, key),
            message: "tuple items reduced to the first item schema",
          });
          out.items = value.length > 0 ? walk(value[0]!, `${pathOf(path, key)}/0`, depth + 1, ctx) : {};
        } else out.items = walk(value, pathOf(path, key), depth + 1, ctx);
        continue;
      }
      case "anyOf":
      case "oneOf": {
        if (!Array.isArray(value)) break;
        const target = key === "oneOf" && profile.oneOf === "anyOf" ? "anyOf" : key;
        if (target !== key) {
          ctx.issues.push({
            code: "combinator",
            path: pathOf(path, key),
            message: "oneOf written as anyOf (the only union the target accepts)",
          });
        }
        const variants = value.map((v, i) => walk(v, `${pathOf(path, key)}/${i}`, depth + 1, ctx));
        const existing = out[target];
        out[target] = Array.isArray(existing) ? [...existing, ...variants] : variants;
        continue;
      }
      case "allOf": {
        if (!Array.isArray(value)) break;
        out.allOf = value.map((v, i) => walk(v, `${pathOf(path, key)}/${i}`, depth + 1, ctx));
        continue;
      }
      case "additionalProperties": {
        if (profile.keep && !profile.keep.has(key)) break;
        if (isObject(value)) {
          out.additionalProperties = walk(value, pathOf(path, key), depth + 1, ctx);
          continue;
        }
        out.additionalProperties = value;
        continue;
      }
      case "$defs":
      case "definitions":
        // Inlined where used.
        continue;
      case "const": {
        if (profile.const === "enum" && (!profile.stringEnumsOnly || typeof value === "string")) {
          out.enum = [value];
          if (profile.stringEnumsOnly && out.type === undefined) out.type = "string";
          continue;
        }
        if (profile.const === "keep" && (!profile.keep || profile.keep.has(key))) {
          out.const = value;
          continue;
        }
        break;
      }
      case "enum": {
        if (!Array.isArray(value)) break;
        if (profile.stringEnumsOnly) {
          const strings = value.filter((v) => v !== null);
          if (!strings.every((v) => typeof v === "string")) {
            const hint = formatHint("one of", value);
            if (hint) hints = addHint(hints, hint);
            ctx.issues.push({
              code: "dropped-keyword",
              path: pathOf(path, key),
              message: "non-string enum is not supported; listed in the description",
            });
            continue;
          }
          out.enum = strings;
          if (out.type === undefined) out.type = "string";
          continue;
        }
        out.enum = value;
        continue;
      }
      case "format": {
        const allowedByType = profile.formats;
        if (allowedByType && typeof value === "string") {
          const t = typeof out.type === "string" ? out.type : undefined;
          if (t && allowedByType[t]?.has(value)) {
            out.format = value;
            continue;
          }
          hints = addHint(hints, `format: ${value}`);
          ctx.issues.push({
            code: "dropped-keyword",
            path: pathOf(path, key),
            message: `format "${value}" is not supported; moved to the description`,
          });
          continue;
        }
        if (profile.keep && !profile.keep.has(key)) break;
        out.format = value;
        continue;
      }
      default:
        break;
    }
    if (profile.drop.has(key) || (profile.keep && !profile.keep.has(key))) {
      if (HINT_KEYWORDS.has(key)) {
        const hint = formatHint(key, value);
        if (hint) hints = addHint(hints, hint);
      }
      if (!QUIET_KEYWORDS.has(key)) {
        ctx.issues.push({
          code: "dropped-keyword",
          path: pathOf(path, key),
          message: `"${key}" is not supported by this target; ${HINT_KEYWORDS.has(key) ? "moved to the description" : "removed"}`,
        });
      }
      continue;
    }
    if (!(key in out)) out[key] = value;
  }

  // Arrays without items are rejected by OpenAI ("array schema missing items") and Gemini.
  const outTypes = typesOf(out);
  if (outTypes?.includes("array") && out.items === undefined) {
    out.items = {};
    if (ctx.strict) ctx.blockers.push(`${path || "/"} is an array without an item schema`);
  }

  // Gemini: `required` without `properties` is rejected ("property is not defined").
  if (profile.nullStyle === "nullable" && Array.isArray(out.required) && !isObject(out.properties)) {
    delete out.required;
    ctx.issues.push({
      code: "required-not-in-properties",
      path: `${path}/required`,
      message: "required without properties removed",
    });
  }
  // Gemini: a union node carries only the union (and annotations); its type/properties/items go into the branches.
  if (profile.unionOnlyNodes && Array.isArray(out.anyOf)) foldIntoUnionBranches(out, path, ctx);

  // required must name declared properties (Gemini and OpenAI strict reject the rest).
  if (Array.isArray(out.required) && isObject(out.properties)) {
    const props = out.properties;
    const kept = out.required.filter((r): r is string => typeof r === "string" && r in props);
    if (kept.length !== out.required.length) {
      ctx.issues.push({
        code: "required-not-in-properties",
        path: `${path}/required`,
        message: "required names undeclared properties; they were removed from required",
      });
    }
    out.required = kept;
  }

  if (ctx.strict) applyStrict(out, path, depth, ctx);

  if (nullable) makeNullable(out, profile);

  if (hints && hints.length > 0) {
    const base = typeof out.description === "string" && out.description !== "" ? `${out.description} ` : "";
    out.description = `${base}(${hints.join("; ")})`;
  }
  if (
    profile.typedOnly &&
    ctx.strict &&
    out.type === undefined &&
    !out.anyOf &&
    !out.enum &&
    out.const === undefined
  ) {
    ctx.blockers.push(`${path || "/"} has no type`);
  }
  return out;
}

const UNION_FOLDED_KEYS = ["type", "properties", "required", "items", "format", "enum"] as const;

/** Moves structural keywords from a union node into each branch (Gemini rejects them beside anyOf). */
function foldIntoUnionBranches(out: JsonObject, path: string, ctx: Context): void {
  const moved = UNION_FOLDED_KEYS.filter((k) => out[k] !== undefined);
  if (moved.length === 0) return;
  out.anyOf = (out.anyOf as JsonValue[]).map((branch) => {
    const b: JsonObject = isObject(branch) ? { ...branch } : {};
    for (const key of moved) {
      if (key === "properties" && isObject(b.properties) && isObject(out.properties)) {
        b.properties = { ...out.properties, ...b.properties };
      } else if (key === "required" && Array.isArray(b.required) && Array.isArray(out.required)) {
        b.required = [...new Set([...out.required, ...b.required])];
      } else if (b[key] === undefined) b[key] = out[key]!;
    }
    return b;
  });
  for (const key of moved) delete out[key];
  ctx.issues.push({ code: "combinator", path, message: `${moved.join(", ")} moved into the anyOf branches` });
}

/** OpenAI strict: every object closed, every property required, optional ones nullable. */
function applyStrict(out: JsonObject, path: string, depth: number, ctx: Context): void {
  if (depth > STRICT_MAX_DEPTH)
    ctx.blockers.push(`${path || "/"} is nested deeper than ${STRICT_MAX_DEPTH} levels`);
  const types = typesOf(out);
  const isObjectType = types?.includes("object") || (out.type === undefined && isObject(out.properties));
  if (!isObjectType) return;
  const props = isObject(out.properties) ? out.properties : undefined;
  if (Array.isArray(out.anyOf) && (!props || Object.keys(props).length === 0)) {
    // `{ type: "object", anyOf: [objects…] }`: the variants carry the object rules.
    if (out.type === "object") delete out.type;
    return;
  }
  const ap = out.additionalProperties;
  if (ap !== undefined && ap !== false) {
    ctx.blockers.push(`${path || "/"} allows additional properties (a map with free keys)`);
    return;
  }
  if (!props || Object.keys(props).length === 0) {
    if (path !== "" && ap !== false) {
      ctx.blockers.push(`${path} is an object with no declared properties (free-form)`);
      return;
    }
    out.properties = props ?? {};
  }
  const declared = out.properties as JsonObject;
  const required = new Set(Array.isArray(out.required) ? (out.required as string[]) : []);
  for (const [name, schema] of Object.entries(declared)) {
    if (!required.has(name) && isObject(schema)) makeNullable(schema, ctx.profile);
  }
  out.required = Object.keys(declared);
  out.additionalProperties = false;
}

/** Root rules every target shares: an object, no combinators at the top, `properties` present. */
function normalizeRoot(schema: JsonObject, issues: SchemaIssue[]): { schema?: JsonObject; error?: string } {
  let root = schema;
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const variants = root[key];
    if (!Array.isArray(variants)) continue;
    const objects = variants.filter(isObject);
    if (
      objects.length !== variants.length ||
      objects.some((v) => typesOf(v) && !typesOf(v)!.includes("object"))
    ) {
      return {
        error: `the input schema's top-level ${key} has non-object variants; a tool's arguments must be one object`,
      };
    }
    const { [key]: _drop, required: baseRequired, ...rest } = root;
    const base = Array.isArray(baseRequired)
      ? baseRequired.filter((r): r is string => typeof r === "string")
      : [];
    root = { ...rest, ...mergeSchemas(objects, key === "allOf" ? "union" : "intersection", base) };
    if (isObject(rest.properties) && isObject(root.properties))
      root.properties = { ...rest.properties, ...root.properties };
    issues.push({
      code: "top-level-combinator",
      path: `/${key}`,
      message: `top-level ${key} is rejected by providers; its variants were merged into one object${key === "allOf" ? "" : " (fields required only when every variant requires them)"}`,
    });
  }
  const types = typesOf(root);
  if (types && !types.includes("object")) {
    return {
      error: `the input schema describes ${JSON.stringify(root.type)}, not an object; tool arguments must be an object`,
    };
  }
  root.type = "object";
  delete root.nullable;
  if (!isObject(root.properties)) root.properties = {};
  return { schema: root };
}

/**
 * Rewrites a JSON Schema so the target accepts it: `$ref`s inlined (cycles cut), null unions written the
 * target's way, unsupported keywords removed (constraints moved to the description), `type: "object"` at
 * the root, and for `openai` with `strict` the Structured Outputs rules. Never throws.
 *
 * @example
 * const { schema, issues } = sanitizeSchema(tool.inputSchema, "gemini");
 */
export function sanitizeSchema(
  input: JsonSchema | undefined,
  target: ToolTarget,
  options: SanitizeOptions = {},
): SanitizedSchema {
  const issues: SchemaIssue[] = [];
  if (input === undefined || input === null) {
    issues.push({
      code: "missing-schema",
      path: "",
      message: "no input schema; the tool takes no arguments",
    });
    input = { type: "object", properties: {} };
  }
  if (!isObject(input)) {
    return {
      issues,
      error: `the input schema must be a JSON object, got ${Array.isArray(input) ? "an array" : typeof input}`,
    };
  }
  const strict = options.strict === true && target === "openai";
  const run = (
    profileName: ToolTarget | "openai-strict",
    withStrict: boolean,
  ): { out: SanitizedSchema; blockers: string[] } => {
    const ctx: Context = {
      profile: SCHEMA_PROFILES[profileName],
      strict: false,
      root: input as JsonValue,
      refStack: [],
      issues: [],
      blockers: [],
      propertyCount: 0,
    };
    let walked = walk(input as JsonValue, "", 0, ctx);
    if (ctx.fatal) return { out: { issues: ctx.issues, error: ctx.fatal }, blockers: [] };
    const rooted = normalizeRoot(walked, ctx.issues);
    if (rooted.error || !rooted.schema)
      return { out: { issues: ctx.issues, error: rooted.error }, blockers: [] };
    walked = rooted.schema;
    if (withStrict) {
      // Second pass on the sanitised tree, now that the root is an object.
      ctx.strict = true;
      const strictTree = walk(walked, "", 0, ctx);
      if (ctx.propertyCount > STRICT_MAX_PROPERTIES)
        ctx.blockers.push(`more than ${STRICT_MAX_PROPERTIES} properties`);
      return {
        out: { schema: strictTree as JsonSchema & { type: "object" }, issues: ctx.issues },
        blockers: ctx.blockers,
      };
    }
    return {
      out: { schema: walked as JsonSchema & { type: "object" }, issues: ctx.issues },
      blockers: ctx.blockers,
    };
  };
  if (strict) {
    const attempt = run("openai-strict", true);
    if (attempt.out.error || attempt.blockers.length === 0) {
      return { ...attempt.out, issues: [...issues, ...attempt.out.issues] };
    }
    const loose = run("openai", false).out;
    const reasons = [...new Set(attempt.blockers)];
    return {
      ...loose,
      issues: [
        ...issues,
        ...loose.issues,
        {
          code: "strict-unavailable",
          path: "",
          message: `strict mode is impossible for this schema: ${reasons.join("; ")}`,
        },
      ],
      strictUnavailable: reasons,
    };
  }
  const out = run(target, false).out;
  if (issues.length > 0) out.issues = [...issues, ...out.issues];
  return out;
}
