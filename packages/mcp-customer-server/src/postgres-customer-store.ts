import pg from "pg";
import {
  type Customer,
  type CustomerStore,
  formatTicketId,
  type NewCustomer,
  type Ticket,
} from "./customer-store.js";

const MIGRATIONS: string[] = [
  `CREATE TABLE customers (
     customer_id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     email TEXT NOT NULL,
     phone TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('active','suspended','inactive')),
     created_at TIMESTAMPTZ NOT NULL,
     last_interaction TIMESTAMPTZ NOT NULL
   );
   CREATE INDEX customers_last_interaction ON customers (last_interaction DESC);
   CREATE TABLE purchases (
     id BIGSERIAL PRIMARY KEY,
     customer_id TEXT NOT NULL REFERENCES customers (customer_id),
     amount DOUBLE PRECISION NOT NULL CHECK (amount >= 0)
   );
   CREATE INDEX purchases_customer ON purchases (customer_id);
   CREATE TABLE tickets (
     id BIGSERIAL PRIMARY KEY,
     customer_id TEXT NOT NULL REFERENCES customers (customer_id),
     subject TEXT NOT NULL,
     description TEXT NOT NULL,
     priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
     status TEXT NOT NULL DEFAULT 'open',
     created_at TIMESTAMPTZ NOT NULL,
     idempotency_key TEXT UNIQUE
   );
   CREATE INDEX tickets_customer ON tickets (customer_id, id DESC);`,
];

interface TicketRow {
  id: string;
  customer_id: string;
  subject: string;
  description: string;
  priority: Ticket["priority"];
  status: Ticket["status"];
  created_at: Date;
}

const toTicket = (r: TicketRow): Ticket => ({
  ticket_id: formatTicketId(r.id),
  customer_id: r.customer_id,
  subject: r.subject,
  description: r.description,
  priority: r.priority,
  status: r.status,
  created_at: r.created_at.toISOString(),
});

const toCustomer = (r: Record<string, unknown>): Customer => ({
  customer_id: String(r.customer_id),
  name: String(r.name),
  email: String(r.email),
  phone: String(r.phone),
  status: r.status as Customer["status"],
  created_at: (r.created_at as Date).toISOString(),
  last_interaction: (r.last_interaction as Date).toISOString(),
});

/** The same store on Postgres; `schema` isolates several stores (or tests) in one database. */
export async function openPostgresStore(databaseUrl: string, schema = "public"): Promise<CustomerStore> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on("connect", (client) => {
    client.query(`SET search_path TO ${schema}`).catch(() => {});
  });
  const init = await pool.connect();
  try {
    await init.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await init.query(`SET search_path TO ${schema}`);
    await init.query("SELECT pg_advisory_lock(7241)"); // one migrator at a time
    try {
      await init.query("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      const { rows } = await init.query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version");
      for (let v = Number(rows[0].v); v < MIGRATIONS.length; v++) {
        await init.query("BEGIN");
        await init.query(MIGRATIONS[v]!);
        await init.query("INSERT INTO schema_version (version) VALUES ($1)", [v + 1]);
        await init.query("COMMIT");
      }
    } finally {
      await init.query("SELECT pg_advisory_unlock(7241)");
    }
  } finally {
    init.release();
  }
  // Every query names the schema's tables through search_path, set per connection above and here.
  const q = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => {
    const client = await pool.connect();
    try {
      await client.query(`SET search_path TO ${schema}`);
      return await client.query<R>(sql, params);
    } finally {
      client.release();
    }
  };
  return {
    kind: "postgres",
    async recentCustomers(limit) {
      const { rows } = await q(
        "SELECT * FROM customers ORDER BY last_interaction DESC, customer_id LIMIT $1",
        [limit],
      );
      return rows.map(toCustomer);
    },
    async getCustomer(id) {
      const { rows } = await q("SELECT * FROM customers WHERE customer_id = $1", [id]);
      return rows[0] ? toCustomer(rows[0]) : undefined;
    },
    async customerIds(prefix, limit) {
      const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const { rows } = await q<{ customer_id: string }>(
        "SELECT customer_id FROM customers WHERE customer_id LIKE $1 ORDER BY customer_id LIMIT $2",
        [like, limit],
      );
      return rows.map((r) => r.customer_id);
    },
    async purchases(customerId) {
      const { rows } = await q<{ amount: number }>(
        "SELECT amount FROM purchases WHERE customer_id = $1 ORDER BY id",
        [customerId],
      );
      return rows.map((r) => Number(r.amount));
    },
    async createTicket(t) {
      const now = new Date();
      const client = await pool.connect();
      try {
        await client.query(`SET search_path TO ${schema}`);
        await client.query("BEGIN");
        const inserted = await client.query<TicketRow>(
          `INSERT INTO tickets (customer_id, subject, description, priority, status, created_at, idempotency_key)
           VALUES ($1, $2, $3, $4, 'open', $5, $6) ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
          [t.customerId, t.subject, t.description, t.priority, now, t.idempotencyKey ?? null],
        );
        if (inserted.rows[0]) {
          await client.query("UPDATE customers SET last_interaction = $1 WHERE customer_id = $2", [
            now,
            t.customerId,
          ]);
          await client.query("COMMIT");
          return { ticket: toTicket(inserted.rows[0]), created: true };
        }
        await client.query("COMMIT");
        const existing = await client.query<TicketRow>("SELECT * FROM tickets WHERE idempotency_key = $1", [
          t.idempotencyKey,
        ]);
        return { ticket: toTicket(existing.rows[0]!), created: false };
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async listTickets({ customerId, status, limit }) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (customerId) where.push(`customer_id = $${params.push(customerId)}`);
      if (status) where.push(`status = $${params.push(status)}`);
      const { rows } = await q<TicketRow>(
        `SELECT * FROM tickets ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT $${params.push(limit)}`,
        params,
      );
      return rows.map(toTicket);
    },
    async addCustomers(list: NewCustomer[]) {
      const client = await pool.connect();
      let added = 0;
      try {
        await client.query(`SET search_path TO ${schema}`);
        await client.query("BEGIN");
        const now = new Date();
        for (const c of list) {
          const r = await client.query(
            "INSERT INTO customers (customer_id, name, email, phone, status, created_at, last_interaction) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING",
            [
              c.customer_id,
              c.name,
              c.email,
              c.phone,
              c.status,
              c.created_at ?? now,
              c.last_interaction ?? now,
            ],
          );
          if (!r.rowCount) continue;
          added++;
          for (const amount of c.purchases ?? [])
            await client.query("INSERT INTO purchases (customer_id, amount) VALUES ($1, $2)", [
              c.customer_id,
              amount,
            ]);
        }
        await client.query("COMMIT");
        return added;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async countCustomers() {
      const { rows } = await q<{ n: string }>("SELECT COUNT(*) AS n FROM customers");
      return Number(rows[0]!.n);
    },
    async close() {
      await pool.end();
    },
  };
}
