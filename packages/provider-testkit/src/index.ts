export type {
  FakeProviderKind,
  FakeProviderServer,
  NormalizedMessage,
  NormalizedRequest,
  RecordedRequest,
  ScriptedError,
  ScriptedReply,
  ScriptedToolCall,
  ScriptedUsage,
} from "./fake-provider-server.js";
export { SIMULATED_NOTICE } from "./simulated-chat-model.js";
