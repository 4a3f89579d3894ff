import { join } from "node:path";
import { type CustomerStore, SAMPLE_CUSTOMERS } from "./customer-store.js";
import { openPostgresStore } from "./postgres-customer-store.js";
import { openSqliteStore } from "./sqlite-customer-store.js";

export interface OpenStoreOptions {
  /** `postgres://…`: use Postgres (default: `DATABASE_URL` from the environment). */
  databaseUrl?: string;
  /** Postgres schema (default `public`). */
  schema?: string;
  /** SQLite file (default `LLMUX_CUSTOMER_DB`, else `./data/customers.db`). */
  sqlitePath?: string;
  /** Load the article's sample customers when the store is empty (default true). */
  sample?: boolean;
}

/** The default SQLite path: `LLMUX_CUSTOMER_DB`, else `./data/customers.db`. */
export function defaultSqlitePath(): string {
  return process.env.LLMUX_CUSTOMER_DB ?? join(process.cwd(), "data", "customers.db");
}

/** Opens (and migrates) the store: Postgres when a URL is given or `DATABASE_URL` is set, else SQLite. */
export async function openCustomerStore(options: OpenStoreOptions = {}): Promise<CustomerStore> {
  const url = options.databaseUrl ?? (options.sqlitePath ? undefined : process.env.DATABASE_URL);
  const store = url
    ? await openPostgresStore(url, options.schema)
    : openSqliteStore(options.sqlitePath ?? defaultSqlitePath());
  if (options.sample !== false && (await store.countCustomers()) === 0)
    await store.addCustomers(SAMPLE_CUSTOMERS);
  return store;
}
