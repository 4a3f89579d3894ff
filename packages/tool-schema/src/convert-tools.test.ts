import type { ChatTool, JsonSchema } from "@llmux/core";
import { describe, expect, it } from "vitest";
import {
  chatToolsToAnthropic,
  chatToolsToBedrock,
  chatToolsToGemini,
  chatToolsToOllama,
  convertTools,
  type McpToolDefinition,
  sanitizeSchema,
  TOOL_TARGETS,
  toBedrockTools,
  toGeminiTools,
  toOpenAITools,
  toolWarningsToCore,
} from "./index.js";
import {
  validateAnthropicTool,
  validateBedrockTool,
  validateGeminiDeclaration,
  validateOllamaTool,
  validateOpenAITool,
} from "./provider-constraints.test-helper.js";

const validators = {
  openai: validateOpenAITool,
  anthropic: validateAnthropicTool,
  ollama: validateOllamaTool,
  bedrock: validateBedrockTool,
  gemini: validateGeminiDeclaration,
} as const;

// zod-to-json-schema style output with shared definitions.
const withRefs: JsonSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    billing: { $ref: "#/definitions/Address" },
    shipping: { $ref: "#/definitions/Address", description: "Where to ship" },
  },
  required: ["billing"],
  additionalProperties: false,
  definitions: {
    Address: {
      type: "object",
      properties: { street: { type: "string" }, zip: { type: "string", pattern: "^[0-9]{5}$" } },
      required: ["street"],
    },
  },
};

const recursive: JsonSchema = {
  type: "object",
  properties: { root: { $ref: "#/$defs/Node" } },
  $defs: {
    Node: {
      type: "object",
      properties: { label: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Node" } } },
      required: ["label"],
    },
  },
};

describe("$ref and $defs", () => {
  it("inlines refs for every target, keeping the ref's siblings", () => {
    for (const target of TOOL_TARGETS) {
      const { schema, issues } = sanitizeSchema(withRefs, target);
      const text = JSON.stringify(schema);
      expect(text).not.toContain("$ref");
      expect(text).not.toContain("definitions");
      expect(text).not.toContain("$schema");
      const props = schema!.properties as Record<string, Record<string, unknown>>;
      expect((props.billing!.properties as Record<string, unknown>).street).toEqual({ type: "string" });
      expect(props.shipping!.description).toContain("Where to ship");
      expect(issues.every((i) => i.code !== "unresolved-ref")).toBe(true);
    }
  });

  it("cuts recursive refs with a warning instead of looping", () => {
    const { schema, issues } = sanitizeSchema(recursive, "anthropic");
    expect(issues.some((i) => i.code === "recursive-ref")).toBe(true);
    const root = (schema!.properties as Record<string, Record<string, unknown>>).root!;
    expect(root.type).toBe("object");
    const children = (root.properties as Record<string, Record<string, unknown>>).children!;
    expect((children.items as Record<string, unknown>).type).toBe("object");
    expect(JSON.stringify(schema)).not.toContain("$ref");
  });

  it("openai strict reports that a recursive schema cannot be strict, and sends it non-strict", () => {
    const { tools, warnings } = toOpenAITools([{ name: "tree", inputSchema: recursive }], { strict: true });
    expect(tools[0]!.function.strict).toBe(false);
    const why = warnings.find((w) => w.code === "strict-unavailable");
    expect(why?.message).toMatch(/recursive/);
    expect(validateOpenAITool(tools[0])).toEqual([]);
  });

  it("an unresolvable (external) ref becomes 'any value' with a warning", () => {
    const { schema, issues } = sanitizeSchema(
      { type: "object", properties: { a: { $ref: "https://example.com/a.json" } } },
      "openai",
    );
    expect(issues.map((i) => i.code)).toContain("unresolved-ref");
    expect((schema!.properties as Record<string, unknown>).a).toEqual({});
  });
});

describe("null unions", () => {
  const nullable: JsonSchema = {
    type: "object",
    properties: {
      a: { anyOf: [{ type: "string" }, { type: "null" }], description: "A or nothing" },
      b: { type: ["integer", "null"] },
      c: { oneOf: [{ type: "string", enum: ["x", "y"] }, { type: "null" }] },
    },
  };

  it("JSON Schema targets write type arrays", () => {
    const { schema } = sanitizeSchema(nullable, "anthropic");
    const p = schema!.properties as Record<string, Record<string, unknown>>;
    expect(p.a).toEqual({ type: ["string", "null"], description: "A or nothing" });
    expect(p.b).toEqual({ type: ["integer", "null"] });
    expect(p.c).toEqual({ type: ["string", "null"], enum: ["x", "y", null] });
  });

  it("Gemini writes nullable: true (OpenAPI 3.0)", () => {
    const { tools } = toGeminiTools([{ name: "n", inputSchema: nullable }]);
    const p = tools[0]!.parameters!.properties as Record<string, Record<string, unknown>>;
    expect(p.a).toEqual({ type: "string", nullable: true, description: "A or nothing" });
    expect(p.b).toEqual({ type: "integer", nullable: true });
    expect(p.c).toEqual({ type: "string", enum: ["x", "y"], nullable: true });
    expect(validateGeminiDeclaration(tools[0])).toEqual([]);
  });

  it("Gemini turns multi-type arrays into anyOf", () => {
    const { schema } = sanitizeSchema(
      { type: "object", properties: { v: { type: ["string", "number"] } } },
      "gemini",
    );
    expect((schema!.properties as Record<string, unknown>).v).toEqual({
      anyOf: [{ type: "string" }, { type: "number" }],
    });
  });
});

describe("top-level rules", () => {
  it("merges a top-level anyOf of objects (fields required only when every variant requires them)", () => {
    const input: JsonSchema = {
      anyOf: [
        {
          type: "object",
          properties: { id: { type: "string" }, force: { type: "boolean" } },
          required: ["id", "force"],
        },
        {
          type: "object",
          properties: { id: { type: "string" }, name: { type: "string" } },
          required: ["id"],
        },
      ],
    };
    for (const target of TOOL_TARGETS) {
      const result = convertTools([{ name: "pick", description: "Pick", inputSchema: input }], { target });
      expect(result.quarantined).toEqual([]);
      expect(validators[target](result.tools[0])).toEqual([]);
      expect(result.warnings.some((w) => w.code === "top-level-combinator")).toBe(true);
    }
    const { schema } = sanitizeSchema(input, "openai");
    expect(schema).toMatchObject({ type: "object", required: ["id"] });
    expect(Object.keys(schema!.properties as object).sort()).toEqual(["force", "id", "name"]);
  });

  it("adds type: object and properties when the schema omits them", () => {
    const { schema } = sanitizeSchema({ properties: { q: { type: "string" } } }, "openai");
    expect(schema).toEqual({ type: "object", properties: { q: { type: "string" } } });
    expect(sanitizeSchema({}, "anthropic").schema).toEqual({ type: "object", properties: {} });
  });

  it("a missing input schema means no arguments (Gemini: no parameters at all)", () => {
    const r = convertTools([{ name: "ping", description: "Ping" }], { target: "gemini" });
    expect(r.tools[0]).toEqual({ name: "ping", description: "Ping" });
    expect(r.warnings.map((w) => w.code)).toContain("missing-schema");
    const a = convertTools([{ name: "ping" }], { target: "anthropic" });
    expect(a.tools[0]!.input_schema).toEqual({ type: "object", properties: {} });
  });
});

describe("quarantine instead of throwing", () => {
  const tools = [
    {
      name: "good",
      description: "ok",
      inputSchema: { type: "object", properties: { a: { type: "string" } } },
    },
    { name: "scalar", inputSchema: { type: "string" } },
    { name: "", inputSchema: { type: "object" } },
    null,
    { name: "arr", inputSchema: [1, 2] },
    { name: "union", inputSchema: { oneOf: [{ type: "object" }, { type: "string" }] } },
  ] as unknown as McpToolDefinition[];

  it("converts the valid tools and says why each other one was left out", () => {
    for (const target of TOOL_TARGETS) {
      const r = convertTools(tools, { target });
      expect(r.tools).toHaveLength(1);
      const reasons = Object.fromEntries(r.quarantined.map((q) => [q.tool, q.reason]));
      expect(reasons.scalar).toMatch(/not an object/);
      expect(reasons["tools[2]"]).toMatch(/tools\[2\]\.name/);
      expect(reasons["tools[3]"]).toMatch(/name/);
      expect(reasons.arr).toMatch(/must be a JSON object/);
      expect(reasons.union).toMatch(/non-object variants/);
    }
  });

  it("Anthropic and Bedrock refuse property names they reject (renaming would change the arguments)", () => {
    const bad = {
      name: "t",
      inputSchema: { type: "object", properties: { "first name": { type: "string" } } },
    };
    expect(convertTools([bad], { target: "anthropic" }).quarantined[0]!.reason).toMatch(/first name/);
    expect(convertTools([bad], { target: "bedrock" }).quarantined[0]!.reason).toMatch(/first name/);
    expect(convertTools([bad], { target: "openai" }).quarantined).toEqual([]);
  });

  it("a bad target is a clear TypeError naming the option", () => {
    expect(() => convertTools([], { target: "cohere" as never })).toThrow(/options\.target/);
    expect(() => convertTools([{ name: "x" }], { target: "cohere" as never })).toThrow(/options\.target/);
  });
});

describe("OpenAI strict mode", () => {
  it("makes every property required, optional ones nullable, objects closed", () => {
    const input: JsonSchema = {
      type: "object",
      properties: {
        customer_id: { type: "string" },
        priority: { type: "string", enum: ["low", "normal", "high", "urgent"], default: "normal" },
        note: { type: "object", properties: { text: { type: "string" } } },
        count: { type: "integer", minimum: 1, maximum: 50 },
      },
      required: ["customer_id"],
    };
    const { tools, warnings } = toOpenAITools([{ name: "create_support_ticket", inputSchema: input }], {
      strict: true,
    });
    const fn = tools[0]!.function;
    expect(fn.strict).toBe(true);
    expect(validateOpenAITool(tools[0])).toEqual([]);
    const p = fn.parameters!.properties as Record<string, Record<string, unknown>>;
    expect(fn.parameters!.required).toEqual(["customer_id", "priority", "note", "count"]);
    expect(fn.parameters!.additionalProperties).toBe(false);
    expect(p.priority).toEqual({
      type: ["string", "null"],
      enum: ["low", "normal", "high", "urgent", null],
      description: '(default: "normal")',
    });
    expect(p.note!.type).toEqual(["object", "null"]);
    expect(p.note!.additionalProperties).toBe(false);
    expect(p.count).toMatchObject({ minimum: 1, maximum: 50 });
    expect(warnings.some((w) => w.path === "/properties/priority/default")).toBe(true);
  });

  it("a free-form map cannot be strict: strict false, the tool still sent, and the reason given", () => {
    const input: JsonSchema = {
      type: "object",
      properties: { labels: { type: "object", additionalProperties: { type: "string" } } },
    };
    const { tools, warnings } = toOpenAITools([{ name: "tag", inputSchema: input }], { strict: true });
    expect(tools[0]!.function.strict).toBe(false);
    expect(tools[0]!.function.parameters).toEqual(input);
    expect(warnings.find((w) => w.code === "strict-unavailable")?.message).toMatch(
      /labels.*additional properties/,
    );
  });

  it("oneOf and allOf are rewritten into the strict subset", () => {
    const input: JsonSchema = {
      type: "object",
      properties: {
        target: { oneOf: [{ type: "string" }, { type: "integer" }] },
        both: {
          allOf: [
            { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
            { properties: { b: { type: "number" } } },
          ],
        },
      },
      required: ["target", "both"],
    };
    const { tools } = toOpenAITools([{ name: "t", inputSchema: input }], { strict: true });
    expect(tools[0]!.function.strict).toBe(true);
    expect(validateOpenAITool(tools[0])).toEqual([]);
    const both = (tools[0]!.function.parameters!.properties as Record<string, Record<string, unknown>>).both!;
    expect(Object.keys(both.properties as object)).toEqual(["a", "b"]);
  });

  it("strict off by default leaves rich JSON Schema alone (minus $schema)", () => {
    const input = {
      type: "object",
      properties: { n: { type: "integer", minimum: 1, default: 3 } },
      additionalProperties: false,
    };
    const { tools } = toOpenAITools([{ name: "t", inputSchema: { $schema: "x", ...input } }]);
    expect(tools[0]!.function.parameters).toEqual(input);
    expect(tools[0]!.function.strict).toBeUndefined();
  });
});

describe("per-target keyword rules", () => {
  const rich: JsonSchema = {
    type: "object",
    properties: {
      email: { type: "string", format: "email", maxLength: 100 },
      when: { type: "string", format: "date-time" },
      level: { type: "integer", enum: [1, 2, 3] },
      kind: { const: "fixed" },
      tags: { type: "array", items: { type: "string" }, uniqueItems: true },
      extra: { type: "object", properties: { k: { type: "string" } }, additionalProperties: false },
      list: { type: "array" },
    },
    required: ["email", "ghost"],
  };

  it("Gemini: keeps its subset, moves the rest into descriptions, writes const as enum", () => {
    const r = toGeminiTools([{ name: "rich", inputSchema: rich }]);
    expect(validateGeminiDeclaration(r.tools[0])).toEqual([]);
    const p = r.tools[0]!.parameters!.properties as Record<string, Record<string, unknown>>;
    expect(p.email).toEqual({ type: "string", maxLength: 100, description: "(format: email)" });
    expect(p.when).toEqual({ type: "string", format: "date-time" });
    expect(p.level).toEqual({ type: "integer", description: "(one of: [1,2,3])" });
    expect(p.kind).toEqual({ enum: ["fixed"], type: "string" });
    expect(p.tags!.description).toBe("(uniqueItems: true)");
    expect(p.extra).toEqual({ type: "object", properties: { k: { type: "string" } } });
    expect(r.tools[0]!.parameters!.required).toEqual(["email"]);
    expect(r.warnings.map((w) => w.code)).toContain("required-not-in-properties");
  });

  it("Gemini: a union node carries only the union; its type and shared properties move into the branches", () => {
    const input: JsonSchema = {
      type: "object",
      properties: {
        ref: {
          type: "object",
          description: "By id or by name",
          properties: { note: { type: "string" } },
          oneOf: [
            { properties: { id: { type: "integer" } }, required: ["id"] },
            { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
          ],
        },
        loose: { type: "object", required: ["x"] },
      },
    };
    const r = toGeminiTools([{ name: "pick", inputSchema: input }]);
    expect(validateGeminiDeclaration(r.tools[0])).toEqual([]);
    const p = r.tools[0]!.parameters!.properties as Record<string, Record<string, unknown>>;
    expect(p.ref).toEqual({
      description: "By id or by name",
      anyOf: [
        {
          type: "object",
          properties: { note: { type: "string" }, id: { type: "integer" } },
          required: ["id"],
        },
        {
          type: "object",
          properties: { note: { type: "string" }, name: { type: "string" } },
          required: ["name"],
        },
      ],
    });
    expect(p.loose).toEqual({ type: "object" });
  });

  it("Ollama: only the fields its structs read survive; constraints go to the description", () => {
    const r = convertTools([{ name: "rich", inputSchema: rich }], { target: "ollama" });
    expect(validateOllamaTool(r.tools[0])).toEqual([]);
    const p = r.tools[0]!.function.parameters.properties as Record<string, Record<string, unknown>>;
    expect(p.email!.description).toBe('(format: "email"; maxLength: 100)');
    expect(p.level).toEqual({ type: "integer", enum: [1, 2, 3] });
    expect(p.kind).toEqual({ enum: ["fixed"] });
  });

  it("arrays without items get an item schema (OpenAI rejects 'array schema missing items')", () => {
    for (const target of TOOL_TARGETS) {
      const r = convertTools([{ name: "rich", description: "d", inputSchema: rich }], { target });
      expect(validators[target](r.tools[0])).toEqual([]);
    }
  });
});

describe("descriptions", () => {
  it("falls back to the MCP title; Bedrock always gets a non-empty description", () => {
    const r = toBedrockTools([{ name: "a", title: "Do A" }, { name: "b" }]);
    expect(r.tools.map((t) => t.toolSpec.description)).toEqual(["Do A", "b"]);
    expect(r.toolConfig).toEqual({ tools: r.tools });
    expect(r.warnings.filter((w) => w.code === "description-fallback").map((w) => w.tool)).toEqual(["b"]);
    for (const t of r.tools) expect(validateBedrockTool(t)).toEqual([]);
  });
});

describe("tool names", () => {
  const odd: McpToolDefinition[] = [
    { name: "files/read.text" },
    { name: "files_read_text" },
    { name: "files read text" },
    { name: "9lives" },
    { name: `very_${"long_".repeat(30)}name` },
    { name: `very_${"long_".repeat(30)}name2` },
  ];

  it("every target gets valid, distinct names that decode back to the MCP names", () => {
    for (const target of TOOL_TARGETS) {
      const r = convertTools(odd, { target });
      const wire = r.tools.map((t) => {
        const any = t as unknown as {
          name?: string;
          function?: { name: string };
          toolSpec?: { name: string };
        };
        return any.function?.name ?? any.toolSpec?.name ?? any.name!;
      });
      expect(new Set(wire).size).toBe(odd.length);
      wire.forEach((w, i) => {
        expect(r.codec.decode(w)).toEqual({ name: odd[i]!.name });
      });
      for (const t of r.tools) expect(validators[target](t)).toEqual([]);
    }
  });

  it("valid names pass through unchanged; changed ones are reported", () => {
    const r = toOpenAITools([{ name: "get_recent_customers" }, { name: "crm.lookup" }]);
    expect(r.tools.map((t) => t.function.name)).toEqual(["get_recent_customers", "crm_lookup"]);
    expect(r.warnings.filter((w) => w.code === "renamed").map((w) => w.tool)).toEqual(["crm.lookup"]);
  });

  it("Gemini names start with a letter or underscore", () => {
    const r = toGeminiTools([{ name: "9lives" }]);
    expect(r.tools[0]!.name).toBe("_9lives");
  });

  it("server prefixes keep same-named tools of two servers apart", () => {
    const a = toOpenAITools([{ name: "search" }], { prefix: "github" });
    const b = toOpenAITools([{ name: "search" }], { prefix: "slack", codec: a.codec });
    expect([a.tools[0]!.function.name, b.tools[0]!.function.name]).toEqual([
      "github__search",
      "slack__search",
    ]);
    expect(a.codec.decode("slack__search")).toEqual({ server: "slack", name: "search" });
    expect(a.codec.decode("nope")).toBeUndefined();
  });

  it("a codec for another target is refused", () => {
    const a = toOpenAITools([]);
    expect(() => convertTools([], { target: "gemini", codec: a.codec })).toThrow(/one codec per target/);
  });
});

describe("ChatTool[] (OpenAI shape) to provider formats", () => {
  const chatTools: ChatTool[] = [
    {
      type: "function",
      function: {
        name: "calculate_account_value",
        description: "Total, average and count of purchases",
        parameters: {
          type: "object",
          properties: {
            customer_id: { type: "string" },
            purchase_history: { type: "array", items: { type: "number" } },
          },
          required: ["customer_id", "purchase_history"],
          additionalProperties: false,
        },
      },
    },
    { type: "function", function: { name: "crm.ping" } },
  ];

  it("converts for Anthropic, Bedrock, Ollama and Gemini with a codec for the names", () => {
    const anthropic = chatToolsToAnthropic(chatTools);
    expect(anthropic.tools[0]).toEqual({
      name: "calculate_account_value",
      description: "Total, average and count of purchases",
      input_schema: chatTools[0]!.function.parameters,
    });
    expect(anthropic.codec.decode(anthropic.tools[1]!.name)?.name).toBe("crm.ping");
    const bedrock = chatToolsToBedrock(chatTools);
    expect(bedrock.toolConfig.tools[1]!.toolSpec).toEqual({
      name: "crm_ping",
      description: "crm.ping",
      inputSchema: { json: { type: "object", properties: {} } },
    });
    const ollama = chatToolsToOllama(chatTools);
    expect(ollama.tools[0]!.function.parameters).not.toHaveProperty("additionalProperties");
    const gemini = chatToolsToGemini(chatTools);
    expect(gemini.tools[1]).toEqual({ name: "crm_ping" });
    for (const t of anthropic.tools) expect(validateAnthropicTool(t)).toEqual([]);
    for (const t of bedrock.tools) expect(validateBedrockTool(t)).toEqual([]);
    for (const t of ollama.tools) expect(validateOllamaTool(t)).toEqual([]);
    for (const t of gemini.tools) expect(validateGeminiDeclaration(t)).toEqual([]);
  });

  it("warnings convert to core Warnings for result metadata", () => {
    const r = chatToolsToGemini([
      {
        type: "function",
        function: {
          name: "x",
          parameters: { type: "object", properties: { a: { type: "string", format: "uri" } } },
        },
      },
    ]);
    const core = toolWarningsToCore(r.warnings, [{ tool: "y", target: "gemini", reason: "bad" }]);
    expect(core[0]).toMatchObject({ type: "unsupported-setting", setting: "tools[y]" });
    expect(core[1]).toMatchObject({ type: "other", setting: "tools[x].parameters/properties/a/format" });
  });
});
