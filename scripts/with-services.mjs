#!/usr/bin/env node
// Runs a command with throwaway Redis and Postgres (and Chromium path) in its environment:
//   node scripts/with-services.mjs -- pnpm vitest run --project @llmux/router
// Sets LLMUX_TEST_REDIS_URL and LLMUX_TEST_DATABASE_URL; stops both afterwards.
import { spawnSync } from "node:child_process";
import { servicesDir, startPostgres, startRedis } from "./services.mjs";

const sep = process.argv.indexOf("--");
const cmd = sep === -1 ? process.argv.slice(2) : process.argv.slice(sep + 1);
if (cmd.length === 0) {
  console.error("usage: with-services.mjs -- <command> [args…]");
  process.exit(2);
}
const dir = servicesDir();
const stops = [];
let code = 1;
try {
  const redis = await startRedis(dir);
  stops.push(redis);
  const pg = await startPostgres();
  stops.push(pg);
  const env = { ...process.env, LLMUX_TEST_REDIS_URL: redis.url, LLMUX_TEST_DATABASE_URL: pg.url };
  code = spawnSync(cmd[0], cmd.slice(1), { stdio: "inherit", env }).status ?? 1;
} finally {
  for (const s of stops.reverse()) s.stop();
}
process.exit(code);
