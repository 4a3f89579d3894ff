// llmux vs Portkey vs a direct call, same fake upstream, loopback only, one run (~3 minutes).
// Uses ../shared/tools/peers (Portkey + autocannon installed outside the repo by its setup.sh).
// Run: pnpm --filter @llmux/gateway bench   (after building). Env: DURATION (s, default 5), CONCURRENCY.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const peers = fileURLToPath(new URL("../../../../shared/tools/peers/", import.meta.url));
if (!existsSync(`${peers}compare.sh`)) {
  console.error(
    `gateway bench: ${peers}compare.sh not found (the shared peers harness must sit beside the repo)`,
  );
  process.exit(1);
}
const port = Number(process.env.LLMUX_PORT ?? 8080);
const server = spawn(process.execPath, [fileURLToPath(new URL("./serve-llmux.mjs", import.meta.url))], {
  env: { ...process.env, PORT: String(port) },
  stdio: ["ignore", "inherit", "inherit"],
});
await new Promise((r) => setTimeout(r, 1500));
try {
  const r = spawnSync("bash", [`${peers}compare.sh`], {
    stdio: "inherit",
    env: {
      ...process.env,
      LLMUX_URL: `http://127.0.0.1:${port}/v1`,
      LLMUX_MODEL: "gpt-4o-mini",
      LLMUX_PID: String(server.pid),
      DURATION: process.env.DURATION ?? "5",
    },
    timeout: 10 * 60_000,
  });
  process.exitCode = r.status ?? 1;
} finally {
  server.kill("SIGTERM");
}
