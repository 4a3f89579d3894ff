#!/usr/bin/env node
// The README's test command ends here (under the pinned Node 24 and pnpm, via bootstrap.mjs):
// build → lint → package checks (publint, attw) → start Redis/Postgres(/Chromium) → vitest on
// Node 24 (everything) → vitest on Node 22 (packages' unit tests, proving `engines`) → stop
// services → one line `N passed, N failed`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureChromium, servicesDir, startPostgres, startRedis } from "./services.mjs";
import { NODE22_PACKAGE } from "./toolchain.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const resultsDir = join(root, ".test-results");
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const extraArgs = process.argv.slice(2);

function step(title, cmd, args, env = process.env) {
  console.log(`\n── ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
  if (r.error) throw new Error(`${title}: could not start ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

function readTotals(file) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, "utf8"));
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0),
  };
}

let failedSteps = 0;
const must = (code, what) => {
  if (code !== 0) {
    failedSteps++;
    console.error(`✗ ${what} failed (exit ${code})`);
  }
  return code;
};

if (must(step("build", "pnpm", ["turbo", "run", "build", "--output-logs=errors-only"]), "build") !== 0) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}
must(step("lint (biome)", "pnpm", ["biome", "ci", "."]), "lint");
must(
  step("package checks (publint, attw)", "pnpm", [
    "turbo",
    "run",
    "check:package",
    "--output-logs=errors-only",
  ]),
  "package checks",
);

const services = [];
const stopAll = () => {
  while (services.length) {
    try {
      services.pop().stop();
    } catch (e) {
      console.error(`stopping a service: ${e.message}`);
    }
  }
};
process.on("SIGINT", () => {
  stopAll();
  process.exit(130);
});
process.on("SIGTERM", () => {
  stopAll();
  process.exit(143);
});

let totals = { passed: 0, failed: 0 };
try {
  console.log("\n── starting services");
  const dir = servicesDir();
  const redis = await startRedis(dir);
  services.push(redis);
  console.log(`redis    ${redis.url}`);
  const pg = await startPostgres();
  services.push(pg);
  console.log(`postgres ${pg.url}`);
  const env = { ...process.env, LLMUX_TEST_REDIS_URL: redis.url, LLMUX_TEST_DATABASE_URL: pg.url };
  if (existsSync(join(root, "apps/console"))) {
    env.LLMUX_CHROMIUM_PATH = ensureChromium();
    console.log(`chromium ${env.LLMUX_CHROMIUM_PATH}`);
  }

  const vitest = join(root, "node_modules/vitest/vitest.mjs");
  const json24 = join(resultsDir, "node24.json");
  must(
    step(
      "tests on Node 24 (all packages and apps)",
      process.execPath,
      [vitest, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${json24}`, ...extraArgs],
      env,
    ),
    "tests on Node 24",
  );
  const t24 = readTotals(json24);
  if (!t24) failedSteps++;
  else totals = { passed: totals.passed + t24.passed, failed: totals.failed + t24.failed };

  if (process.env.LLMUX_SKIP_NODE22 !== "1" && extraArgs.length === 0) {
    // Published packages claim Node >= 22: run their tests on Node 22 too (apps run on Node 24 only).
    const projects = readdirSync(join(root, "packages"))
      .filter((d) => existsSync(join(root, "packages", d, "vitest.config.ts")))
      .map((d) => JSON.parse(readFileSync(join(root, "packages", d, "package.json"), "utf8")).name);
    const json22 = join(resultsDir, "node22.json");
    must(
      step(
        "unit tests on Node 22 (packages)",
        "npx",
        [
          "-y",
          "-p",
          NODE22_PACKAGE,
          "--",
          "node",
          vitest,
          "run",
          "--reporter=dot",
          "--reporter=json",
          `--outputFile.json=${json22}`,
          ...projects.flatMap((p) => ["--project", p]),
        ],
        env,
      ),
      "tests on Node 22",
    );
    const t22 = readTotals(json22);
    if (!t22) failedSteps++;
    else totals = { passed: totals.passed + t22.passed, failed: totals.failed + t22.failed };
  }
} catch (e) {
  failedSteps++;
  console.error(`✗ ${e.message}`);
} finally {
  stopAll();
}

console.log(`\n${totals.passed} passed, ${totals.failed + (totals.failed === 0 ? failedSteps : 0)} failed`);
process.exit(totals.failed > 0 || failedSteps > 0 ? 1 : 0);
