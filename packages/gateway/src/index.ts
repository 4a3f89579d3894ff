export type { Gateway, GatewayOptions, SpanLike, TracerLike } from "./create-gateway.js";
export { createGateway, startGateway } from "./create-gateway.js";
export { GatewayMetrics } from "./gateway-metrics.js";
export type { ErrorResponse, OpenAIErrorBody } from "./openai-error-response.js";
export { toErrorResponse } from "./openai-error-response.js";
export { validateChatRequest } from "./validate-chat-request.js";
export type { VirtualKeyInfo, VirtualKeySpec } from "./virtual-keys.js";
export { VirtualKeyStore } from "./virtual-keys.js";
