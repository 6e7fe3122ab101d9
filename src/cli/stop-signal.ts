import type { Logger } from "pino";

/**
 * Resolves at the first SIGINT or SIGTERM, after logging `what` (the drain
 * about to run); a second signal exits at once, skipping the drain. Call it
 * before announcing the service, so that a signal sent on seeing that line
 * is already handled.
 */
export function stopSignal(logger: Logger, what: string): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, what);
      process.once("SIGINT", () => process.exit(130));
      process.once("SIGTERM", () => process.exit(143));
      resolve(signal);
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}
