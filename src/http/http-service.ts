import type { Express } from "express";
import type { Logger } from "pino";
import type { Clock, RandomBytes } from "../core/clock.js";
import type { TlogPolicy } from "../crypto/tlog-policy.js";
import type { Ledger } from "../ledger/ledger.js";
import type { CaseServices } from "../service/cases/context.js";
import { createApp } from "./app.js";
import type { Authenticator, Lifecycle } from "./deps.js";
import { createMetrics, type Metrics } from "./metrics.js";
import type { HttpOptions } from "./options.js";
import { listen } from "./server.js";

export interface HttpServiceDeps {
  ledger: Ledger;
  tokens: Authenticator;
  logger: Logger;
  clock: Clock;
  randomBytes: RandomBytes;
  options: HttpOptions;
  policy?: TlogPolicy;
  /** Mediation cases; their stores and webhooks belong to the caller, who closes them after stop(). */
  cases?: CaseServices;
  sealing?: import("./routes/sealing.js").SealingDeps;
  witnessing?: import("../service/witnessing.js").Witnessing;
  /** Prometheus process metrics (default on; tests that start many apps turn them off). */
  processMetrics?: boolean;
}

export interface HttpService {
  url: string;
  port: number;
  app: Express;
  metrics: Metrics;
  /**
   * Graceful stop: health turns 503, no new connections, in-flight requests
   * (deposits included) finish, then the ledger flushes its queue and stops.
   * The store stays open (its owner closes it).
   */
  stop(): Promise<void>;
}

/** Builds the app over an opened ledger and serves it. */
export async function startHttpService(
  deps: HttpServiceDeps,
  at: { port: number; host: string },
): Promise<HttpService> {
  const lifecycle: Lifecycle = { draining: false };
  const metrics = createMetrics({
    ledger: deps.ledger,
    processMetrics: deps.processMetrics,
    witnessing: deps.witnessing,
  });
  const app = createApp({ ...deps, metrics, lifecycle });
  const server = await listen(app, at);
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    port: server.port,
    app,
    metrics,
    stop() {
      stopping ??= (async () => {
        lifecycle.draining = true;
        await server.close(deps.options.shutdownTimeoutMs);
        await deps.ledger.close();
      })();
      return stopping;
    },
  };
}
