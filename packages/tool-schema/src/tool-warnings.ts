import type { Warning } from "@llmux/core";
import type { QuarantinedTool, ToolSchemaWarning } from "./tool-types.js";

/** Tool-schema warnings (and quarantined tools) as core `Warning`s, for `result.llmux.warnings`. */
export function toolWarningsToCore(
  warnings: readonly ToolSchemaWarning[],
  quarantined: readonly QuarantinedTool[] = [],
): Warning[] {
  const out: Warning[] = [];
  for (const q of quarantined) {
    out.push({
      type: "unsupported-setting",
      setting: `tools[${q.tool}]`,
      message: `tool "${q.tool}" left out for ${q.target}: ${q.reason}`,
    });
  }
  for (const w of warnings) {
    out.push({
      type: "other",
      setting: `tools[${w.tool}]${w.path ? `.parameters${w.path}` : ""}`,
      message: w.message,
    });
  }
  return out;
}
