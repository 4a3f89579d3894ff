import type { ChatModel } from "@llmux/core";
import { createSimulatedModel } from "@llmux/provider-testkit";
import { loadConfig, registerProvider, resolveModel } from "llmux";

registerProvider("simulated", (name) => createSimulatedModel({ name }));

export interface ModelChoice {
  label: string;
  model: ChatModel;
  /** A request field for routers (the model group). */
  group?: string;
  simulated: boolean;
}

/** Models offered when their key is present: one per provider of the article. */
const BY_KEY: Array<[string, string]> = [
  ["OPENAI_API_KEY", "openai/gpt-4o-mini"],
  ["ANTHROPIC_API_KEY", "anthropic/claude-sonnet-4-0"],
  ["DEEPSEEK_API_KEY", "deepseek/deepseek-chat"],
  ["DASHSCOPE_API_KEY", "qwen/qwen-plus"],
];

async function localOllamaModel(): Promise<string | undefined> {
  const host = (process.env.OLLAMA_HOST ?? "http://127.0.0.1:11434").replace(/\/+$/, "");
  const base = /^https?:\/\//.test(host) ? host : `http://${host}`;
  try {
    const res = await fetch(`${base}/api/tags`, { signal: AbortSignal.timeout(400) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { models?: Array<{ name: string }> };
    return body.models?.[0]?.name;
  } catch {
    return undefined;
  }
}

export interface SelectedModels {
  models: ModelChoice[];
  simulated: boolean;
  notes: string[];
}

/** `--model` flags, else a config file, else every provider with a key (and a local Ollama), else simulated. */
export async function selectModels(flags: { model?: string[]; config?: string }): Promise<SelectedModels> {
  const notes: string[] = [];
  if (flags.model?.length) {
    const models = flags.model.map((id) => ({
      label: id,
      model: resolveModel(id),
      simulated: id.startsWith("simulated/"),
    }));
    return { models, simulated: models.every((m) => m.simulated), notes };
  }
  if (flags.config) {
    const { config, warnings } = await loadConfig(flags.config);
    notes.push(...warnings.map((w) => `config: ${w}`));
    const { createRouter } = await import("llmux");
    const router = createRouter(config);
    const models = router.groups.map((g) => ({
      label: `${g} (router)`,
      model: router,
      group: g,
      simulated: false,
    }));
    return { models, simulated: false, notes };
  }
  const ids = BY_KEY.filter(([env]) => process.env[env]).map(([, id]) => id);
  if (process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE)
    ids.push("bedrock/anthropic.claude-3-5-haiku-20241022-v1:0");
  const ollama = await localOllamaModel();
  if (ollama) {
    ids.push(`ollama/${ollama}`);
    notes.push(`found a local Ollama model: ${ollama}`);
  }
  if (ids.length)
    return {
      models: ids.map((id) => ({ label: id, model: resolveModel(id), simulated: false })),
      simulated: false,
      notes,
    };
  return {
    models: [
      { label: "simulated/cloud", model: createSimulatedModel({ name: "cloud" }), simulated: true },
      {
        label: "simulated/local",
        model: createSimulatedModel({ name: "local", local: true }),
        simulated: true,
      },
    ],
    simulated: true,
    notes,
  };
}
