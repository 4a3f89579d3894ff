// The child processes of the bench scripts: Node scripts started with this Node binary, killed when
// the script exits however it ends.
import { spawn } from "node:child_process";

const children = [];
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

/** Starts `node ARGS` with the environment plus `env`; its stdout is dropped, its stderr shown. */
export function startNode(args, env) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

/** Whether `url` answered an HTTP request within `seconds`. */
export async function waitHttp(url, seconds = 20) {
  for (const until = Date.now() + seconds * 1000; Date.now() < until; ) {
    try {
      await fetch(url);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return false;
}
