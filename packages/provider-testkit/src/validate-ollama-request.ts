// Checks an /api/chat request the way the Ollama server does (400 {"error": …}), from the API docs
// and the server's Go types: a string where an object belongs fails to unmarshal.

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const ROLES = new Set(["system", "user", "assistant", "tool"]);
const DURATION = /^-?\d+(\.\d+)?(ns|us|µs|ms|s|m|h)?$/;

/**
 * The error Ollama would return for this /api/chat body, or `undefined`.
 *
 * @example
 * validateOllamaRequest({ messages: [] }) // "model is required"
 */
export function validateOllamaRequest(body: unknown): string | undefined {
  if (!isObject(body)) return "invalid request body";
  if (typeof body.model !== "string" || body.model === "") return "model is required";
  if (body.stream !== undefined && typeof body.stream !== "boolean") {
    return (
      "json: cannot unmarshal " + typeof body.stream + " into Go struct field ChatRequest.stream of type bool"
    );
  }
  if (body.options !== undefined && !isObject(body.options)) {
    return (
      "json: cannot unmarshal " +
      typeof body.options +
      " into Go struct field ChatRequest.options of type map[string]interface {}"
    );
  }
  if (body.keep_alive !== undefined) {
    const k = body.keep_alive;
    if (!(typeof k === "number" || (typeof k === "string" && DURATION.test(k))))
      return `time: invalid duration "${String(k)}"`;
  }
  if (body.format !== undefined && body.format !== "json" && body.format !== "" && !isObject(body.format)) {
    return `invalid format: ${JSON.stringify(body.format)}; expected "json" or a JSON schema`;
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools))
      return "json: cannot unmarshal into Go struct field ChatRequest.tools of type api.Tools";
    for (let i = 0; i < body.tools.length; i++) {
      const tool = body.tools[i];
      if (!isObject(tool) || !isObject(tool.function)) {
        return "json: cannot unmarshal into Go struct field ChatRequest.tools of type api.Tool";
      }
      if (tool.type !== undefined && tool.type !== "function")
        return `invalid tool type: ${String(tool.type)}`;
      const fn = tool.function;
      if (typeof fn.name !== "string" || fn.name === "") return `tools[${i}]: function name is required`;
      if (fn.parameters !== undefined) {
        if (!isObject(fn.parameters)) {
          return (
            "json: cannot unmarshal " +
            typeof fn.parameters +
            " into Go struct field ToolFunction.tools.function.parameters of type struct"
          );
        }
        if (fn.parameters.type !== undefined && typeof fn.parameters.type !== "string") {
          return "json: cannot unmarshal into Go struct field ToolFunctionParameters.tools.function.parameters.type of type string";
        }
        if (fn.parameters.properties !== undefined && !isObject(fn.parameters.properties)) {
          return "json: cannot unmarshal into Go struct field ToolFunctionParameters.tools.function.parameters.properties of type map";
        }
      }
    }
  }
  if (body.messages === undefined) return undefined;
  if (!Array.isArray(body.messages))
    return "json: cannot unmarshal into Go struct field ChatRequest.messages of type []api.Message";
  for (let i = 0; i < body.messages.length; i++) {
    const m = body.messages[i];
    if (!isObject(m))
      return "json: cannot unmarshal into Go struct field ChatRequest.messages of type api.Message";
    if (typeof m.role !== "string" || !ROLES.has(m.role)) return `invalid role: ${String(m.role)}`;
    if (m.content !== undefined && typeof m.content !== "string") {
      return (
        "json: cannot unmarshal " +
        (Array.isArray(m.content) ? "array" : typeof m.content) +
        " into Go struct field Message.messages.content of type string"
      );
    }
    if (m.images !== undefined) {
      if (!Array.isArray(m.images))
        return "json: cannot unmarshal into Go struct field Message.messages.images of type []api.ImageData";
      for (const image of m.images) {
        if (typeof image !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(image))
          return "illegal base64 data at input byte 0";
      }
    }
    if (m.tool_calls !== undefined) {
      if (!Array.isArray(m.tool_calls))
        return "json: cannot unmarshal into Go struct field Message.messages.tool_calls of type []api.ToolCall";
      for (const call of m.tool_calls) {
        const fn = isObject(call) ? call.function : undefined;
        if (!isObject(fn) || typeof fn.name !== "string")
          return "json: cannot unmarshal into Go struct field ToolCall.messages.tool_calls.function of type api.ToolCallFunction";
        if (fn.arguments !== undefined && !isObject(fn.arguments)) {
          return (
            "json: cannot unmarshal " +
            typeof fn.arguments +
            " into Go struct field ToolCallFunction.messages.tool_calls.function.arguments of type api.ToolCallFunctionArguments"
          );
        }
      }
    }
  }
  return undefined;
}
