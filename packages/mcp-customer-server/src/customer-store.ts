export type CustomerStatus = "active" | "suspended" | "inactive";
export type TicketPriority = "low" | "normal" | "high" | "urgent";
export type TicketStatus = "open" | "in_progress" | "resolved" | "closed";

export const TICKET_PRIORITIES: readonly TicketPriority[] = ["low", "normal", "high", "urgent"];
export const TICKET_STATUSES: readonly TicketStatus[] = ["open", "in_progress", "resolved", "closed"];

export interface Customer {
  customer_id: string;
  name: string;
  email: string;
  phone: string;
  status: CustomerStatus;
  created_at: string;
  last_interaction: string;
}

export interface Ticket {
  ticket_id: string;
  customer_id: string;
  subject: string;
  description: string;
  priority: TicketPriority;
  status: TicketStatus;
  created_at: string;
}

export interface NewTicket {
  customerId: string;
  subject: string;
  description: string;
  priority: TicketPriority;
  idempotencyKey?: string;
}

export interface NewCustomer extends Omit<Customer, "created_at" | "last_interaction"> {
  created_at?: string;
  last_interaction?: string;
  purchases?: number[];
}

/** Where customers, purchases and tickets live: SQLite by default, Postgres when DATABASE_URL is set. */
export interface CustomerStore {
  readonly kind: "sqlite" | "postgres";
  recentCustomers(limit: number): Promise<Customer[]>;
  getCustomer(id: string): Promise<Customer | undefined>;
  /** Ids starting with `prefix` (for completion), at most `limit`. */
  customerIds(prefix: string, limit: number): Promise<string[]>;
  purchases(customerId: string): Promise<number[]>;
  /** Creates a ticket; with a known idempotency key returns the first ticket (`created: false`). */
  createTicket(ticket: NewTicket): Promise<{ ticket: Ticket; created: boolean }>;
  listTickets(filter: { customerId?: string; status?: TicketStatus; limit: number }): Promise<Ticket[]>;
  /** Inserts customers (and their purchases) that do not exist yet; returns how many were new. */
  addCustomers(customers: NewCustomer[]): Promise<number>;
  countCustomers(): Promise<number>;
  close(): Promise<void>;
}

/** The article's sample customers, loaded on first start. */
export const SAMPLE_CUSTOMERS: NewCustomer[] = [
  {
    customer_id: "12345",
    name: "Alice Johnson",
    email: "alice@example.com",
    phone: "+1-555-0123",
    status: "active",
    created_at: "2024-01-15T09:30:00.000Z",
    last_interaction: "2026-11-20T14:05:00.000Z",
    purchases: [150, 300, 89],
  },
  {
    customer_id: "67890",
    name: "Bob Smith",
    email: "bob@example.com",
    phone: "+1-555-0456",
    status: "suspended",
    created_at: "2023-06-02T16:45:00.000Z",
    last_interaction: "2026-11-18T10:20:00.000Z",
    purchases: [150, 300, 13, 89],
  },
];

export function formatTicketId(sequence: number | string): string {
  return `TKT-${String(sequence).padStart(6, "0")}`;
}
