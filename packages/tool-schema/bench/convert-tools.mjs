// Converts 1,000 real MCP tools (the fixture servers, repeated with unique names) to all five formats.
// Run: pnpm --filter @llmux/tool-schema bench   (after building the package)
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { convertTools, TOOL_TARGETS } from "../dist/index.js";

const dir = fileURLToPath(new URL("../src/__fixtures__/", import.meta.url));
const real = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .flatMap((f) => JSON.parse(readFileSync(dir + f, "utf8")).tools);
const TOOLS = 1000;
const tools = Array.from({ length: TOOLS }, (_, i) => {
  const t = real[i % real.length];
  return { ...t, name: i < real.length ? t.name : `${t.name}_${Math.floor(i / real.length)}` };
});

const ROUNDS = 30; // bounded: 30 rounds × 6 conversions of 1,000 tools
const cases = [
  ...TOOL_TARGETS.map((target) => ({ label: target, target })),
  { label: "openai-strict", target: "openai", strict: true },
];

function allFive() {
  for (const target of TOOL_TARGETS) convertTools(tools, { target });
}

for (let i = 0; i < 3; i++) allFive(); // warm-up
const rows = [];
for (const c of cases) {
  const times = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const out = convertTools(tools, { target: c.target, strict: c.strict });
    times.push(performance.now() - t0);
    if (out.tools.length !== TOOLS) throw new Error(`${c.label}: ${out.quarantined.length} quarantined`);
  }
  times.sort((a, b) => a - b);
  rows.push({
    bench: "convert-tools",
    case: c.label,
    tools: TOOLS,
    medianMs: +times[ROUNDS >> 1].toFixed(2),
    p90Ms: +times[Math.floor(ROUNDS * 0.9)].toFixed(2),
  });
}
const all = [];
for (let r = 0; r < ROUNDS; r++) {
  const t0 = performance.now();
  allFive();
  all.push(performance.now() - t0);
}
all.sort((a, b) => a - b);
rows.push({
  bench: "convert-tools",
  case: "all five formats",
  tools: TOOLS,
  medianMs: +all[ROUNDS >> 1].toFixed(2),
  p90Ms: +all[Math.floor(ROUNDS * 0.9)].toFixed(2),
});
// Reference measured in the same run: a deep copy of the same tools (the least any converter must do).
const base = [];
for (let r = 0; r < ROUNDS; r++) {
  const t0 = performance.now();
  structuredClone(tools);
  base.push(performance.now() - t0);
}
base.sort((a, b) => a - b);
const baseMedian = base[ROUNDS >> 1];
rows.push({
  bench: "convert-tools",
  case: "structuredClone (reference)",
  tools: TOOLS,
  medianMs: +baseMedian.toFixed(2),
  p90Ms: +base[Math.floor(ROUNDS * 0.9)].toFixed(2),
});
for (const row of rows) row.xClone = +(row.medianMs / baseMedian).toFixed(2);
for (const row of rows) console.log(JSON.stringify(row));
console.log("\ncase                         median ms   p90 ms   x clone   (1,000 tools)");
for (const row of rows) {
  console.log(
    `${row.case.padEnd(28)} ${String(row.medianMs).padStart(9)} ${String(row.p90Ms).padStart(8)} ${String(row.xClone).padStart(9)}`,
  );
}
