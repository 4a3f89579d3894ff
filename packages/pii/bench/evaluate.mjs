// Precision and recall per type on the labelled set (positives and hard negatives).
// Run: pnpm --filter @llmux/pii run evaluate   (after building)
import { readFileSync } from "node:fs";
import { detectPii } from "../dist/index.js";

const set = JSON.parse(
  readFileSync(new URL("../src/__fixtures__/labelled-set.json", import.meta.url), "utf8"),
);
const stats = new Map();
const get = (t) => stats.get(t) ?? stats.set(t, { tp: 0, fp: 0, fn: 0 }).get(t);
for (const { text, expected } of set) {
  const found = detectPii(text).map((f) => `${f.type}\u0000${f.value}`);
  const want = expected.map((e) => `${e.type}\u0000${e.value}`);
  for (const f of found) get(f.split("\u0000")[0])[want.includes(f) ? "tp" : "fp"]++;
  for (const w of want) if (!found.includes(w)) get(w.split("\u0000")[0]).fn++;
}
const rows = [...stats.entries()].map(([type, { tp, fp, fn }]) => ({
  type,
  precision: tp + fp === 0 ? 1 : tp / (tp + fp),
  recall: tp + fn === 0 ? 1 : tp / (tp + fn),
  tp,
  fp,
  fn,
}));
for (const r of rows) console.log(JSON.stringify(r));
console.log(`\n${set.length} examples (${set.filter((e) => e.expected.length === 0).length} hard negatives)`);
console.log("type         precision  recall");
for (const r of rows)
  console.log(
    `${r.type.padEnd(12)} ${r.precision.toFixed(2).padStart(9)}  ${r.recall.toFixed(2).padStart(6)}`,
  );
