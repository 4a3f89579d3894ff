export type { QwenRegion } from "./qwen-endpoints.js";
export { QWEN_ENDPOINTS } from "./qwen-endpoints.js";
export type { QwenProvider, QwenProviderSettings } from "./qwen-provider.js";
export { createQwen } from "./qwen-provider.js";
export type { QwenThinkingOptions } from "./qwen-thinking-options.js";
export { parseQwenThinkingOptions } from "./qwen-thinking-options.js";
