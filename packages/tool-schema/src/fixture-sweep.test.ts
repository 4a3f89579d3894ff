import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { convertTools, type McpToolDefinition, TOOL_TARGETS, type ToolTarget } from "./index.js";
import {
  validateAnthropicTool,
  validateBedrockTool,
  validateGeminiDeclaration,
  validateOllamaTool,
  validateOpenAITool,
} from "./provider-constraints.test-helper.js";

const dir = fileURLToPath(new URL("./__fixtures__/", import.meta.url));
const servers = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(dir + f, "utf8")) as { server: string; tools: McpToolDefinition[] });

const validators: Record<ToolTarget, (tool: unknown) => string[]> = {
  openai: validateOpenAITool,
  anthropic: validateAnthropicTool,
  ollama: validateOllamaTool,
  bedrock: validateBedrockTool,
  gemini: validateGeminiDeclaration,
};

describe("every real MCP tool converts for every target", () => {
  it("has the recorded fixtures", () => {
    expect(servers.length).toBeGreaterThanOrEqual(15);
    expect(servers.reduce((n, s) => n + s.tools.length, 0)).toBeGreaterThan(170);
  });

  for (const target of TOOL_TARGETS) {
    for (const strict of target === "openai" ? [false, true] : [false]) {
      it(`${target}${strict ? " (strict)" : ""}: all fixture tools pass the provider's constraints`, () => {
        for (const server of servers) {
          const result = convertTools(server.tools, { target, strict });
          expect(result.quarantined, `${server.server} quarantined`).toEqual([]);
          expect(result.tools).toHaveLength(server.tools.length);
          const problems = result.tools.flatMap((tool, i) =>
            validators[target](tool).map((e) => `${server.server}/${server.tools[i]!.name}: ${e}`),
          );
          expect(problems).toEqual([]);
          // Every provider name maps back to the server's tool name.
          for (const original of server.tools) {
            const wire = result.codec.encode(original.name);
            expect(result.codec.decode(wire)?.name).toBe(original.name);
          }
        }
      });
    }
  }

  it("openai strict: most GitHub tools become strict, and the others say why", () => {
    const github = servers.find((s) => s.server === "github-mcp-server")!;
    const result = convertTools(github.tools, { target: "openai", strict: true });
    const strictCount = result.tools.filter((t) => t.function.strict === true).length;
    expect(strictCount).toBeGreaterThan(github.tools.length / 2);
    const loose = result.tools.filter((t) => t.function.strict === false).map((t) => t.function.name);
    for (const name of loose) {
      expect(result.warnings.some((w) => w.tool === name && w.code === "strict-unavailable")).toBe(true);
    }
  });

  it("all servers share one codec per target with per-server prefixes, without collisions", () => {
    for (const target of TOOL_TARGETS) {
      const first = convertTools(servers[0]!.tools, { target, prefix: servers[0]!.server });
      const names = new Set<string>();
      for (const server of servers) {
        const r = convertTools(server.tools, { target, prefix: server.server, codec: first.codec });
        for (const tool of r.tools) {
          const problems = validators[target](tool);
          expect(problems).toEqual([]);
        }
        for (const t of server.tools) {
          const wire = r.codec.encode(t.name, server.server);
          names.add(wire);
          expect(r.codec.decode(wire)).toEqual({ server: server.server, name: t.name });
        }
      }
      expect(names.size).toBe(servers.reduce((n, s) => n + s.tools.length, 0));
    }
  });
});
