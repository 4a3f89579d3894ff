export type { DeepSeekProvider, DeepSeekProviderSettings } from "./deepseek-provider.js";
export { createDeepSeek } from "./deepseek-provider.js";
