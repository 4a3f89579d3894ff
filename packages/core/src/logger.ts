/**
 * The structured logger llmux libraries accept (pino's method shape: `logger.info({ fields }, "message")`).
 * Libraries never log to stdout themselves; pass a pino instance, or nothing for silence.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message?: string): void;
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

/** A logger that drops everything (the default in libraries). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
