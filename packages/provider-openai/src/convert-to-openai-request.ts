import type { ChatRequest, Warning } from "@llmux/core";
import { convertToOpenAIMessages } from "./convert-to-openai-messages.js";
import type { OpenAICompatibleQuirks } from "./openai-presets.js";

/**
 * Builds the Chat Completions body for a request: messages, tools and settings mapped through the
 * provider's quirks table, `providerOptions[providerKey]` merged in as extra body fields.
 */
export function convertToOpenAIRequest(
  request: ChatRequest,
  options: { model: string; quirks: OpenAICompatibleQuirks; providerKey: string; stream: boolean },
): { body: Record<string, unknown>; warnings: Warning[] } {
  const { quirks } = options;
  const { messages, warnings } = convertToOpenAIMessages(request.messages, quirks);
  const body: Record<string, unknown> = { model: options.model, messages };
  const hasTools = request.tools !== undefined && request.tools.length > 0;
  if (hasTools) {
    body.tools = request.tools;
    if (request.tool_choice !== undefined) {
      body.tool_choice = request.tool_choice === "required" ? quirks.toolChoiceRequired : request.tool_choice;
    }
    if (request.parallel_tool_calls !== undefined) body.parallel_tool_calls = request.parallel_tool_calls;
  } else if (
    request.tool_choice !== undefined &&
    request.tool_choice !== "none" &&
    request.tool_choice !== "auto"
  ) {
    warnings.push({
      type: "unsupported-setting",
      setting: "tool_choice",
      message: "tool_choice without tools was dropped",
    });
  }
  if (request.response_format) {
    if (request.response_format.type === "json_schema" && !quirks.jsonSchema) {
      body.response_format = { type: "json_object" };
      warnings.push({
        type: "unsupported-setting",
        setting: "response_format",
        message:
          "json_schema is not supported by this provider: sent as json_object (the schema is not enforced)",
      });
    } else body.response_format = request.response_format;
  }
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens !== undefined) body[quirks.maxTokensParam] = maxTokens;
  const passthrough = [
    "temperature",
    "top_p",
    "stop",
    "seed",
    "presence_penalty",
    "frequency_penalty",
    "reasoning_effort",
    "user",
  ] as const;
  for (const key of passthrough) if (request[key] !== undefined) body[key] = request[key];
  if (options.stream) {
    body.stream = true;
    // Always asked for: without it a stream has no usage, and cost tracking would be blind.
    if (quirks.streamUsage) body.stream_options = { include_usage: true };
  }
  for (const key of quirks.unsupportedParams) {
    if (body[key] !== undefined) {
      delete body[key];
      if (key !== "stream_options") {
        warnings.push({
          type: "unsupported-setting",
          setting: key,
          message: `${key} is not supported by this provider and was dropped`,
        });
      }
    }
  }
  for (const [from, to] of Object.entries(quirks.renamedParams)) {
    if (body[from] !== undefined) {
      body[to] = body[from];
      delete body[from];
    }
  }
  const extra = request.providerOptions?.[options.providerKey];
  if (extra) Object.assign(body, extra);
  return { body, warnings };
}
