// Checks a Chat Completions request the way the OpenAI API does, with its 400 messages, so an
// adapter that sends something the real API refuses fails in tests too.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** A 400 the API would answer: message, offending `param`, and `code`. */
export interface OpenAIRequestProblem {
  message: string;
  param: string | null;
  code: string | null;
}

export interface ValidateOpenAIOptions {
  /** Top-level fields to accept besides OpenAI's own (OpenAI-compatible servers add some). */
  extraParams?: string[];
  /** DeepSeek refuses `reasoning_content` on assistant messages sent back. */
  rejectReasoningContentInput?: boolean;
}

const KNOWN_PARAMS = new Set([
  "model",
  "messages",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "response_format",
  "temperature",
  "top_p",
  "max_tokens",
  "max_completion_tokens",
  "stop",
  "seed",
  "presence_penalty",
  "frequency_penalty",
  "reasoning_effort",
  "user",
  "stream",
  "stream_options",
  "n",
  "logprobs",
  "top_logprobs",
  "logit_bias",
  "metadata",
  "store",
  "service_tier",
  "modalities",
  "audio",
  "prediction",
  "web_search_options",
  "verbosity",
  "prompt_cache_key",
  "safety_identifier",
]);
const ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);
const TOOL_NAME = /^[a-zA-Z0-9_-]+$/;
const USER_PARTS = new Set(["text", "image_url", "input_audio", "file"]);

const problem = (message: string, param: string | null = null, code: string | null = null) => ({
  message,
  param,
  code,
});

/**
 * The 400 OpenAI would return for this Chat Completions body, or `undefined` when it is valid.
 *
 * @example
 * validateOpenAIRequest({ model: "gpt-4o-mini", messages: [] })?.message // "Invalid 'messages': empty array. …"
 */
export function validateOpenAIRequest(
  body: unknown,
  options: ValidateOpenAIOptions = {},
): OpenAIRequestProblem | undefined {
  if (!isObject(body)) return problem("We could not parse the JSON body of your request.");
  const extra = new Set(options.extraParams ?? []);
  for (const key of Object.keys(body)) {
    if (!KNOWN_PARAMS.has(key) && !extra.has(key)) {
      return problem(`Unrecognized request argument supplied: ${key}`);
    }
  }
  if (typeof body.model !== "string" || body.model === "") {
    return problem("you must provide a model parameter");
  }
  if (body.temperature !== undefined) {
    if (typeof body.temperature !== "number") {
      return problem(
        "Invalid type for 'temperature': expected a decimal, but got a string instead.",
        "temperature",
        "invalid_type",
      );
    }
    if (body.temperature > 2 || body.temperature < 0) {
      return problem(
        `Invalid 'temperature': decimal ${body.temperature > 2 ? "above maximum" : "below minimum"} value. Expected a value ${body.temperature > 2 ? "<= 2" : ">= 0"}, but got ${body.temperature} instead.`,
        "temperature",
        body.temperature > 2 ? "decimal_above_max_value" : "decimal_below_min_value",
      );
    }
  }
  if (body.stream_options !== undefined && body.stream !== true) {
    return problem(
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      "stream_options",
      "invalid_value",
    );
  }
  const tools = body.tools;
  const toolNames: string[] = [];
  if (tools !== undefined) {
    if (!Array.isArray(tools)) {
      return problem(
        "Invalid type for 'tools': expected an array, but got an object instead.",
        "tools",
        "invalid_type",
      );
    }
    for (let i = 0; i < tools.length; i++) {
      const tool = tools[i];
      if (!isObject(tool) || tool.type !== "function") {
        return problem(
          `Invalid value: '${isObject(tool) ? String(tool.type) : "null"}'. Supported values are: 'function' and 'custom'.`,
          `tools[${i}].type`,
          "invalid_value",
        );
      }
      const fn = tool.function;
      if (!isObject(fn) || typeof fn.name !== "string") {
        return problem(
          `Missing required parameter: 'tools[${i}].function.name'.`,
          `tools[${i}].function.name`,
          "missing_required_parameter",
        );
      }
      if (!TOOL_NAME.test(fn.name)) {
        return problem(
          `Invalid 'tools[${i}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
          `tools[${i}].function.name`,
          "invalid_value",
        );
      }
      if (fn.name.length > 64) {
        return problem(
          `Invalid 'tools[${i}].function.name': string too long. Expected a string with maximum length 64, but got a string with length ${fn.name.length} instead.`,
          `tools[${i}].function.name`,
          "string_above_max_length",
        );
      }
      if (fn.parameters !== undefined && (!isObject(fn.parameters) || fn.parameters.type !== "object")) {
        return problem(
          `Invalid schema for function '${fn.name}': schema must be a JSON Schema of 'type: "object"', got 'type: "${isObject(fn.parameters) ? String(fn.parameters.type) : "None"}"'.`,
          `tools[${i}].function.parameters`,
          "invalid_function_parameters",
        );
      }
      toolNames.push(fn.name);
    }
  }
  const choice = body.tool_choice;
  if (choice !== undefined) {
    if (toolNames.length === 0) {
      return problem(
        "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
        "tool_choice",
      );
    }
    if (isObject(choice)) {
      const name = isObject(choice.function) ? choice.function.name : undefined;
      if (typeof name !== "string" || !toolNames.includes(name)) {
        return problem(
          `Invalid value for 'tool_choice': function '${String(name)}' not found in 'tools'.`,
          "tool_choice",
          "invalid_value",
        );
      }
    } else if (choice !== "none" && choice !== "auto" && choice !== "required") {
      return problem(
        `Invalid value: '${String(choice)}'. Supported values are: 'none', 'auto', and 'required'.`,
        "tool_choice",
        "invalid_value",
      );
    }
  }
  if (body.parallel_tool_calls !== undefined && toolNames.length === 0) {
    return problem(
      "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.",
      "parallel_tool_calls",
    );
  }
  return validateMessages(body.messages, options);
}

function validateMessages(
  messages: unknown,
  options: ValidateOpenAIOptions,
): OpenAIRequestProblem | undefined {
  if (messages === undefined)
    return problem("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  if (!Array.isArray(messages)) {
    return problem(
      "Invalid type for 'messages': expected an array, but got an object instead.",
      "messages",
      "invalid_type",
    );
  }
  if (messages.length === 0) {
    return problem(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "messages",
      "empty_array",
    );
  }
  // Tool calls still waiting for their tool messages.
  let pending: string[] = [];
  let assistantIndex = -1;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!isObject(m))
      return problem(
        `Invalid type for 'messages[${i}]': expected an object.`,
        `messages[${i}]`,
        "invalid_type",
      );
    const role = m.role;
    if (typeof role !== "string" || !ROLES.has(role)) {
      return problem(
        `Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `messages[${i}].role`,
        "invalid_value",
      );
    }
    if (role !== "tool" && pending.length > 0) {
      return problem(
        `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${pending.join(", ")}`,
        `messages.[${assistantIndex}].role`,
      );
    }
    if (role === "tool") {
      if (typeof m.tool_call_id !== "string") {
        return problem(
          `Missing required parameter: 'messages[${i}].tool_call_id'.`,
          `messages[${i}].tool_call_id`,
          "missing_required_parameter",
        );
      }
      if (!pending.includes(m.tool_call_id)) {
        return problem(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages.[${i}].role`,
        );
      }
      pending = pending.filter((id) => id !== m.tool_call_id);
      if (Array.isArray(m.content)) {
        for (let j = 0; j < m.content.length; j++) {
          const part = m.content[j];
          if (!isObject(part) || part.type !== "text") {
            return problem(
              `Invalid value: '${isObject(part) ? String(part.type) : "null"}'. Supported values are: 'text'.`,
              `messages[${i}].content[${j}].type`,
              "invalid_value",
            );
          }
        }
      } else if (typeof m.content !== "string") {
        return problem(
          `Missing required parameter: 'messages[${i}].content'.`,
          `messages[${i}].content`,
          "missing_required_parameter",
        );
      }
      continue;
    }
    if (role === "assistant") {
      if (
        options.rejectReasoningContentInput &&
        m.reasoning_content !== undefined &&
        m.reasoning_content !== null
      ) {
        return problem(
          "The reasoning_content of an assistant message must not be sent back in the input messages.",
          `messages[${i}].reasoning_content`,
          "invalid_request_error",
        );
      }
      const calls = m.tool_calls;
      const hasContent = typeof m.content === "string" || Array.isArray(m.content);
      if (calls !== undefined) {
        if (!Array.isArray(calls) || calls.length === 0) {
          return problem(
            `Invalid 'messages[${i}].tool_calls': empty array. Expected an array with minimum length 1, but got an empty array instead.`,
            `messages[${i}].tool_calls`,
            "empty_array",
          );
        }
        for (let j = 0; j < calls.length; j++) {
          const call = calls[j];
          const fn = isObject(call) ? call.function : undefined;
          if (
            !isObject(call) ||
            typeof call.id !== "string" ||
            !isObject(fn) ||
            typeof fn.name !== "string"
          ) {
            return problem(
              `Missing required parameter: 'messages[${i}].tool_calls[${j}].id'.`,
              `messages[${i}].tool_calls[${j}]`,
              "missing_required_parameter",
            );
          }
          if (typeof fn.arguments !== "string") {
            return problem(
              `Invalid type for 'messages[${i}].tool_calls[${j}].function.arguments': expected a string, but got an object instead.`,
              `messages[${i}].tool_calls[${j}].function.arguments`,
              "invalid_type",
            );
          }
        }
        pending = calls.map((c) => String((c as Json).id));
        assistantIndex = i;
      } else if (!hasContent) {
        return problem(
          `Invalid value for 'content': expected a string, got null.`,
          `messages.[${i}].content`,
        );
      }
      continue;
    }
    if (typeof m.content === "string") continue;
    if (!Array.isArray(m.content)) {
      return problem(`Invalid value for 'content': expected a string, got null.`, `messages.[${i}].content`);
    }
    for (let j = 0; j < m.content.length; j++) {
      const part = m.content[j];
      const allowed = role === "user" ? USER_PARTS : new Set(["text"]);
      if (!isObject(part) || !allowed.has(String(part.type))) {
        return problem(
          `Invalid value: '${isObject(part) ? String(part.type) : "null"}'. Supported values are: ${[...allowed].map((t) => `'${t}'`).join(", ")}.`,
          `messages[${i}].content[${j}].type`,
          "invalid_value",
        );
      }
      if (part.type === "image_url") {
        const url = isObject(part.image_url) ? part.image_url.url : undefined;
        if (typeof url !== "string" || !/^(https?:|data:image\/)/.test(url)) {
          return problem(
            `Invalid 'messages[${i}].content[${j}].image_url.url'. Expected a valid URL, but got a value with an invalid format.`,
            `messages[${i}].content[${j}].image_url.url`,
            "invalid_value",
          );
        }
      }
    }
  }
  if (pending.length > 0) {
    return problem(
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${pending.join(", ")}`,
      `messages.[${assistantIndex}].role`,
    );
  }
  return undefined;
}
