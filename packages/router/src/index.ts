export type { SimplicityVerdict } from "./classify-simple-request.js";
export { classifySimpleRequest } from "./classify-simple-request.js";
export type { Deployment, Router, RouterResultEvent } from "./create-router.js";
export { createRouter } from "./create-router.js";
export type { AttemptRecord, DecisionTrace, ExcludedDeployment, RuleStep } from "./decision-trace.js";
export { formatDecisionTrace, getDecisionTrace } from "./decision-trace.js";
export type { ParsedRouterConfig, RouterFileConfig } from "./parse-router-config.js";
export { loadRouterConfigFile, parseRouterConfig } from "./parse-router-config.js";
export type { RedisStateOptions } from "./redis-router-state.js";
export { createRedisState } from "./redis-router-state.js";
export type {
  BudgetConfig,
  ComplianceConfig,
  ComplianceMode,
  CooldownConfig,
  CostRoutingConfig,
  DeploymentConfig,
  RetryConfig,
  RouterConfig,
  RoutingStrategy,
} from "./router-config.js";
export type { RouterState } from "./router-state.js";
export { createMemoryState } from "./router-state.js";
export type { PiiEvidence } from "./scan-request-for-pii.js";
export { redactRequest, scanRequestForPii } from "./scan-request-for-pii.js";
export type { LedgerEntry, LedgerTotals } from "./usage-ledger.js";
export { UsageLedger } from "./usage-ledger.js";
