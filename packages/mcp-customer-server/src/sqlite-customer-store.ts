import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import {
  type Customer,
  type CustomerStore,
  formatTicketId,
  type NewCustomer,
  type Ticket,
} from "./customer-store.js";

// Each migration runs once, in order, inside a transaction; `schema_version` remembers where we are.
const MIGRATIONS: string[] = [
  `CREATE TABLE customers (
     customer_id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     email TEXT NOT NULL,
     phone TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('active','suspended','inactive')),
     created_at TEXT NOT NULL,
     last_interaction TEXT NOT NULL
   );
   CREATE INDEX customers_last_interaction ON customers (last_interaction DESC);
   CREATE TABLE purchases (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     customer_id TEXT NOT NULL REFERENCES customers (customer_id),
     amount REAL NOT NULL CHECK (amount >= 0)
   );
   CREATE INDEX purchases_customer ON purchases (customer_id);
   CREATE TABLE tickets (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     customer_id TEXT NOT NULL REFERENCES customers (customer_id),
     subject TEXT NOT NULL,
     description TEXT NOT NULL,
     priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
     status TEXT NOT NULL DEFAULT 'open',
     created_at TEXT NOT NULL,
     idempotency_key TEXT UNIQUE
   );
   CREATE INDEX tickets_customer ON tickets (customer_id, id DESC);`,
];

interface TicketRow {
  id: number;
  customer_id: string;
  subject: string;
  description: string;
  priority: Ticket["priority"];
  status: Ticket["status"];
  created_at: string;
}

const toTicket = (r: TicketRow): Ticket => ({
  ticket_id: formatTicketId(r.id),
  customer_id: r.customer_id,
  subject: r.subject,
  description: r.description,
  priority: r.priority,
  status: r.status,
  created_at: r.created_at,
});

/** The embedded store: one SQLite file, WAL journal, full sync (acknowledged tickets survive a crash). */
export function openSqliteStore(path: string): CustomerStore {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const current =
    (db.prepare("SELECT MAX(version) AS v FROM schema_version").get() as { v: number | null }).v ?? 0;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(v + 1);
    })();
  }
  const stmt = {
    recent: db.prepare("SELECT * FROM customers ORDER BY last_interaction DESC, customer_id LIMIT ?"),
    get: db.prepare("SELECT * FROM customers WHERE customer_id = ?"),
    ids: db.prepare(
      "SELECT customer_id FROM customers WHERE customer_id LIKE ? ESCAPE '\\' ORDER BY customer_id LIMIT ?",
    ),
    purchases: db.prepare("SELECT amount FROM purchases WHERE customer_id = ? ORDER BY id"),
    byKey: db.prepare("SELECT * FROM tickets WHERE idempotency_key = ?"),
    insertTicket: db.prepare(
      "INSERT INTO tickets (customer_id, subject, description, priority, status, created_at, idempotency_key) VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING *",
    ),
    touch: db.prepare("UPDATE customers SET last_interaction = ? WHERE customer_id = ?"),
    insertCustomer: db.prepare(
      "INSERT OR IGNORE INTO customers (customer_id, name, email, phone, status, created_at, last_interaction) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    insertPurchase: db.prepare("INSERT INTO purchases (customer_id, amount) VALUES (?, ?)"),
    count: db.prepare("SELECT COUNT(*) AS n FROM customers"),
  };
  const createTicket = db.transaction((t: Parameters<CustomerStore["createTicket"]>[0]) => {
    if (t.idempotencyKey) {
      const existing = stmt.byKey.get(t.idempotencyKey) as TicketRow | undefined;
      if (existing) return { ticket: toTicket(existing), created: false };
    }
    const now = new Date().toISOString();
    const row = stmt.insertTicket.get(
      t.customerId,
      t.subject,
      t.description,
      t.priority,
      now,
      t.idempotencyKey ?? null,
    ) as TicketRow;
    stmt.touch.run(now, t.customerId);
    return { ticket: toTicket(row), created: true };
  });
  const addCustomers = db.transaction((list: NewCustomer[]) => {
    let added = 0;
    const now = new Date().toISOString();
    for (const c of list) {
      const r = stmt.insertCustomer.run(
        c.customer_id,
        c.name,
        c.email,
        c.phone,
        c.status,
        c.created_at ?? now,
        c.last_interaction ?? now,
      );
      if (r.changes === 0) continue;
      added++;
      for (const amount of c.purchases ?? []) stmt.insertPurchase.run(c.customer_id, amount);
    }
    return added;
  });
  return {
    kind: "sqlite",
    async recentCustomers(limit) {
      return stmt.recent.all(limit) as Customer[];
    },
    async getCustomer(id) {
      return stmt.get.get(id) as Customer | undefined;
    },
    async customerIds(prefix, limit) {
      const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return (stmt.ids.all(like, limit) as Array<{ customer_id: string }>).map((r) => r.customer_id);
    },
    async purchases(customerId) {
      return (stmt.purchases.all(customerId) as Array<{ amount: number }>).map((r) => r.amount);
    },
    async createTicket(t) {
      return createTicket(t);
    },
    async listTickets({ customerId, status, limit }) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (customerId) {
        where.push("customer_id = ?");
        params.push(customerId);
      }
      if (status) {
        where.push("status = ?");
        params.push(status);
      }
      const sql = `SELECT * FROM tickets ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
      return (db.prepare(sql).all(...params, limit) as TicketRow[]).map(toTicket);
    },
    async addCustomers(list) {
      return addCustomers(list);
    },
    async countCustomers() {
      return (stmt.count.get() as { n: number }).n;
    },
    async close() {
      db.close();
    },
  };
}
