// PII scan speed: MB/s on ~1 MB of mixed text and on a ~100k-token (≈400 KB) chat context.
// Run: pnpm --filter @llmux/pii bench   (after building). Bounded: a few seconds.
import { containsPii, detectPii } from "../dist/index.js";

const filler = [
  "Customer 67890 asked about order ORD-2024-000123 shipped on 2024-01-15, total $552.00.",
  "The ticket TKT-000123 was escalated to tier 2 at 12:30:45 and closed after 3 replies.",
  "Please summarise the account status and recent purchases for the quarterly review.",
  "Version 10.2.3 of the client fixed the login bug; build 20241125.3 passed 1234 tests.",
];
const pii = ["alice@example.com", "+1-555-0123", "4111 1111 1111 1111", "192.168.1.20"];
function corpus(bytes, piiEvery) {
  let out = "";
  let i = 0;
  while (out.length < bytes) {
    out += `${filler[i % filler.length]} `;
    if (piiEvery && i % piiEvery === 0) out += `${pii[(i / piiEvery) % pii.length]} `;
    i++;
  }
  return out;
}
function measure(name, text, fn) {
  const deadline = performance.now() + 1500;
  let runs = 0;
  const start = performance.now();
  while (performance.now() < deadline && runs < 200) {
    fn(text);
    runs++;
  }
  const secs = (performance.now() - start) / 1000;
  const mbps = (text.length * runs) / 1e6 / secs;
  const row = {
    bench: name,
    bytes: text.length,
    runs,
    mbPerSec: Number(mbps.toFixed(1)),
    msPerRun: Number(((secs * 1000) / runs).toFixed(2)),
  };
  console.log(JSON.stringify(row));
  return row;
}
const rows = [
  measure("detectPii 1MB mixed (PII every 50 sentences)", corpus(1_000_000, 50), detectPii),
  measure("detectPii 400KB clean context (100k tokens)", corpus(400_000, 0), detectPii),
  measure("containsPii 400KB clean context", corpus(400_000, 0), containsPii),
  measure("containsPii 400KB, PII near the end", `${corpus(400_000, 0)} alice@example.com`, containsPii),
];
console.log("\nbench                                              MB/s   ms/run");
for (const r of rows)
  console.log(`${r.bench.padEnd(50)} ${String(r.mbPerSec).padStart(6)} ${String(r.msPerRun).padStart(8)}`);
