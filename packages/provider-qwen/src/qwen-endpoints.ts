/** DashScope (Alibaba Cloud Model Studio) OpenAI-compatible endpoints by region; keys are per region. */
export const QWEN_ENDPOINTS = {
  /** International (Singapore). */
  intl: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
  /** Mainland China (Beijing). */
  cn: "https://dashscope.aliyuncs.com/compatible-mode/v1",
  /** US (Virginia). */
  us: "https://dashscope-us.aliyuncs.com/compatible-mode/v1",
} as const;

export type QwenRegion = keyof typeof QWEN_ENDPOINTS;
