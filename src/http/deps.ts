import type { Logger } from "pino";
import type { Clock, RandomBytes } from "../core/clock.js";
import type { TlogPolicy } from "../crypto/tlog-policy.js";
import type { Ledger } from "../ledger/ledger.js";
import type { CaseServices } from "../service/cases/context.js";
import type { Principal } from "../service/tokens.js";
import type { Witnessing } from "../service/witnessing.js";
import type { Metrics } from "./metrics.js";
import type { HttpOptions } from "./options.js";
import type { SealingDeps } from "./routes/sealing.js";

/** Checks a bearer token (service/tokens.ts TokenAuthenticator). */
export interface Authenticator {
  authenticate(token: string | undefined): Promise<Principal>;
  /** The principal at once, when that needs no I/O; undefined when authenticate() must decide. */
  known?(token: string): Principal | undefined;
}

/** Shared, mutable service state that the app reads and the server sets. */
export interface Lifecycle {
  /** True once shutdown began: health checks fail and connections close after their answer. */
  draining: boolean;
}

/** Everything the HTTP app uses, injected: no globals, no environment. */
export interface AppDeps {
  ledger: Ledger;
  tokens: Authenticator;
  clock: Clock;
  randomBytes: RandomBytes;
  logger: Logger;
  metrics: Metrics;
  options: HttpOptions;
  lifecycle: Lifecycle;
  /** The trust policy verifiers should use (c2sp.org/tlog-policy); default: this log's key, no witnesses. */
  policy?: TlogPolicy;
  /** Mediation cases (DESIGN §5, §6); without them the case, invitation and signature routes are not served. */
  cases?: CaseServices;
  /** PDF sealing and certificates (DESIGN §7); without it those routes are not served. */
  sealing?: SealingDeps;
  /** Witness cosignatures (DESIGN §11): which checkpoint to publish and to prove against. */
  witnessing?: Witnessing;
}
