import { fileURLToPath } from "node:url";

export {
  createCustomerServer,
  parseResolutionSteps,
  SERVER_NAME,
  SERVER_VERSION,
} from "./create-customer-server.js";
export type {
  Customer,
  CustomerStatus,
  CustomerStore,
  NewCustomer,
  NewTicket,
  Ticket,
  TicketPriority,
  TicketStatus,
} from "./customer-store.js";
export { formatTicketId, SAMPLE_CUSTOMERS, TICKET_PRIORITIES, TICKET_STATUSES } from "./customer-store.js";
export type { OpenStoreOptions } from "./open-customer-store.js";
export { defaultSqlitePath, openCustomerStore } from "./open-customer-store.js";
export { openPostgresStore } from "./postgres-customer-store.js";
export { generateCustomers, seedCustomers } from "./seed-customers.js";
export type { HttpOptions, RunningHttpServer } from "./serve-http.js";
export { serveHttp } from "./serve-http.js";
export { openSqliteStore } from "./sqlite-customer-store.js";

/** Absolute path of the `llmux-customer-server` executable (run it with `node`). */
export function customerServerCliPath(): string {
  return fileURLToPath(new URL("./cli.js", import.meta.url));
}
