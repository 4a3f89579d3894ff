// The command line of a bench script: node:util's parseArgs, with every mistake (an unknown option, a
// missing value, a number out of range) reported as one line, `NAME: message`, and exit code 2.
import { parseArgs } from "node:util";

/**
 * Parses the script's arguments. Returns parseArgs' `values` and `positionals`, plus `fail(message)`
 * (prints, exits 2) and `int(option, min, max)`, the option's value as an integer within bounds.
 */
export function scriptArgs(name, config) {
  const fail = (message) => {
    console.error(`${name}: ${message}`);
    process.exit(2);
  };
  let parsed;
  try {
    parsed = parseArgs(config);
  } catch (e) {
    fail(e.message.split("\n")[0]);
  }
  const int = (option, min, max) => {
    const n = Number(parsed.values[option]);
    if (!Number.isInteger(n) || n < min || n > max)
      fail(`--${option} must be an integer from ${min} to ${max}`);
    return n;
  };
  return { values: parsed.values, positionals: parsed.positionals, fail, int };
}
