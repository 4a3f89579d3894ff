#!/usr/bin/env node
// Entry point of the README's commands (`npm run demo`, `npm test`).
// Runs on any Node >= 20 with only npm: it re-executes itself under the pinned Node 24 + pnpm
// (both fetched from the npm registry by npx), installs the workspace, then runs the task.
// Written in plain JavaScript that Node 20 understands; no dependencies.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NODE_VERSION, PNPM_VERSION } from "./toolchain.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [task = "test", ...rest] = process.argv.slice(2);
const tasks = {
  setup: [["turbo", "run", "build", "--output-logs=errors-only"]],
  demo: [
    ["turbo", "run", "build", "--output-logs=errors-only"],
    ["run", "--silent", "demo:run", ...rest],
  ],
  test: [["run", "test:all", ...rest]],
};
if (!tasks[task]) {
  console.error(`bootstrap: unknown task "${task}"; expected one of: ${Object.keys(tasks).join(", ")}`);
  process.exit(2);
}

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
  if (r.error) {
    console.error(`bootstrap: could not start ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const onPinnedNode = process.versions.node === NODE_VERSION && process.env.LLMUX_BOOTSTRAPPED === "1";
if (!onPinnedNode) {
  // npx puts the `node` package's real Node 24 binary first on PATH, so pnpm, every script and
  // every install script (native addons) run on Node 24, whatever the system Node is.
  const npx = process.platform === "win32" ? "npx.cmd" : "npx";
  run(
    npx,
    [
      "-y",
      "-p",
      `node@${NODE_VERSION}`,
      "-p",
      `pnpm@${PNPM_VERSION}`,
      "--",
      "node",
      "scripts/bootstrap.mjs",
      task,
      ...rest,
    ],
    { ...process.env, LLMUX_BOOTSTRAPPED: "1", TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
  );
  process.exit(0);
}

const frozen = existsSync(join(root, "pnpm-lock.yaml")) ? ["--frozen-lockfile"] : [];
run("pnpm", ["install", ...frozen, "--reporter=append-only"]);
for (const step of tasks[task]) run("pnpm", step);
