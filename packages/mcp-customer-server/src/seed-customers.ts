import type { CustomerStatus, CustomerStore, NewCustomer } from "./customer-store.js";

const FIRST = [
  "Alice",
  "Bob",
  "Carla",
  "Deepak",
  "Elena",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "Jonas",
  "Kemi",
  "Liam",
  "Mei",
  "Nora",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sven",
  "Tara",
];
const LAST = [
  "Johnson",
  "Smith",
  "García",
  "Patel",
  "Rossi",
  "Haddad",
  "Kim",
  "Tanaka",
  "Silva",
  "Weber",
  "Okafor",
  "Murphy",
  "Chen",
  "Larsen",
  "Aziz",
  "Nair",
  "Brooks",
  "Diaz",
  "Berg",
  "Singh",
];

/** A small deterministic random source, so seeds are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` realistic customers (ids from 100000 up) with 0-12 purchases each; reproducible by `seed`. */
export function generateCustomers(count: number, seed = 1): NewCustomer[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const status: CustomerStatus = random() < 0.85 ? "active" : random() < 0.5 ? "suspended" : "inactive";
    const created = now - Math.floor(random() * 3 * 365 * 86_400_000);
    return {
      customer_id: String(100000 + i),
      name: `${first} ${last}`,
      email: `${first}.${last}${i}@example.com`
        .toLowerCase()
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, ""),
      phone: `+1-555-${String(1000 + Math.floor(random() * 9000))}`,
      status,
      created_at: new Date(created).toISOString(),
      last_interaction: new Date(created + Math.floor(random() * (now - created))).toISOString(),
      purchases: Array.from({ length: Math.floor(random() * 13) }, () => Math.round(random() * 50000) / 100),
    };
  });
}

/** Adds generated customers to a store (existing ids are left alone); returns how many were added. */
export async function seedCustomers(store: CustomerStore, count: number, seed = 1): Promise<number> {
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000)
    throw new Error(`count must be an integer from 1 to 1000000, got ${count}`);
  let added = 0;
  const all = generateCustomers(count, seed);
  for (let i = 0; i < all.length; i += 1000) added += await store.addCustomers(all.slice(i, i + 1000));
  return added;
}
