// Real components the test suite needs (Redis, Postgres, Chromium), installed if missing and
// started on free loopback ports; stopped by the returned `stop()`. Used by scripts/test-all.mjs.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
let aptUpdated = false;

function which(cmd) {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

function aptInstall(pkgs) {
  if (!isRoot) {
    throw new Error(
      `missing ${pkgs.join(", ")}: install them (apt-get install -y ${pkgs.join(" ")}) or run the tests as root`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!aptUpdated) {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    aptUpdated = true;
  }
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], {
    stdio: "inherit",
    env,
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const s = connect(port, "127.0.0.1", () => {
        s.end();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start listening on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

export async function startRedis(baseDir) {
  let bin = which("redis-server");
  if (!bin) {
    aptInstall(["redis-server"]);
    bin = which("redis-server");
  }
  if (!bin) throw new Error("redis-server is not available after installing it");
  const dir = join(baseDir, "redis");
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const pidfile = join(dir, "redis.pid");
  execFileSync(bin, [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--daemonize",
    "yes",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    "--pidfile",
    pidfile,
    "--logfile",
    join(dir, "redis.log"),
  ]);
  await waitForPort(port, 10_000, "redis-server");
  return {
    url: `redis://127.0.0.1:${port}`,
    stop() {
      spawnSync("redis-cli", ["-p", String(port), "shutdown", "nosave"], { stdio: "ignore" });
      const r = spawnSync("sh", ["-c", `test -f ${pidfile} && kill $(cat ${pidfile}) 2>/dev/null`]);
      void r;
    },
  };
}

function findPgBin(name) {
  const onPath = which(name);
  if (onPath) return onPath;
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    for (const v of readdirSync(base).sort().reverse()) {
      const p = join(base, v, "bin", name);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

export async function startPostgres() {
  if (!findPgBin("initdb") || !findPgBin("pg_ctl")) aptInstall(["postgresql"]);
  const initdb = findPgBin("initdb");
  const pgCtl = findPgBin("pg_ctl");
  if (!initdb || !pgCtl)
    throw new Error("Postgres binaries (initdb, pg_ctl) are not available after installing postgresql");
  // Postgres refuses to run as root: run it as an unprivileged system user.
  const user = "llmuxpg";
  const asUser = (cmd, args, opts = {}) =>
    isRoot ? execFileSync("runuser", ["-u", user, "--", cmd, ...args], opts) : execFileSync(cmd, args, opts);
  if (isRoot && spawnSync("id", ["-u", user], { stdio: "ignore" }).status !== 0) {
    execFileSync("useradd", ["-r", "-M", "-s", "/bin/bash", user]);
  }
  const dir = mkdtempSync(join(tmpdir(), "llmux-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  mkdirSync(data);
  if (isRoot) execFileSync("chown", ["-R", `${user}:`, dir]);
  asUser(initdb, ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"], {
    stdio: "ignore",
  });
  const port = await freePort();
  const log = join(dir, "pg.log");
  asUser(
    pgCtl,
    [
      "-D",
      data,
      "-l",
      log,
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      "-w",
      "start",
    ],
    {
      stdio: "ignore",
    },
  );
  await waitForPort(port, 15_000, "postgres");
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        asUser(pgCtl, ["-D", data, "-m", "fast", "-w", "stop"], { stdio: "ignore" });
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function ensureChromium() {
  const candidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];
  let found = candidates.find((p) => existsSync(p));
  if (!found) {
    aptInstall(["chromium"]);
    found = candidates.find((p) => existsSync(p));
  }
  if (!found) throw new Error("chromium is not available after installing it");
  return found;
}

export function servicesDir() {
  return mkdtempSync(join(tmpdir(), "llmux-services-"));
}
