import { join } from "node:path";
import type { Logger } from "pino";
import type { Clock, RandomBytes } from "../core/clock.js";
import type { Ledger } from "../ledger/ledger.js";
import { type CaseServices, caseServices } from "../service/cases/context.js";
import { type FetchLike, WebhookDispatcher } from "../service/webhooks.js";
import { FileBlobStore } from "../storage/blob-store.js";
import { LevelStateStore } from "../storage/state-store.js";
import { webhookFetch, webhookHostProblem } from "./webhook-fetch.js";

export interface CaseStack {
  services: CaseServices;
  state: LevelStateStore;
  /** Stops webhook retries (deliveries in flight finish), then closes the state store. */
  close(): Promise<void>;
}

export interface CaseStackOptions {
  ledger: Ledger;
  clock: Clock;
  randomBytes: RandomBytes;
  /** Base of invitation links; may be set on `services` later, once the served URL is known. */
  publicUrl: string;
  /** Failed webhook deliveries are logged here, at warn. */
  logger?: Logger;
  fetch?: FetchLike;
  /** Deliver webhooks to private, loopback and reserved addresses too (default: public ones only). */
  allowPrivateWebhooks?: boolean;
  webhookBackoffMs?: (attempt: number) => number;
  signatureToleranceMs?: number;
  invitationTtlMs?: number;
}

/** Where a delivery went, without credentials or query strings that a URL may carry. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(unparseable URL)";
  }
}

/**
 * Opens what the case routes need beside the ledger: the state store
 * (<data>/state, its own LevelDB), agreement files (<data>/blobs) and
 * webhook delivery of case events.
 */
export async function openCaseStack(dataDir: string, o: CaseStackOptions): Promise<CaseStack> {
  const state = new LevelStateStore(join(dataDir, "state"));
  await state.open();
  const webhooks = new WebhookDispatcher({
    cases: state,
    clock: o.clock,
    randomBytes: o.randomBytes,
    fetch: o.fetch ?? webhookFetch({ allowPrivate: o.allowPrivateWebhooks ?? false }),
    backoffMs: o.webhookBackoffMs,
    onResult: (r) => {
      if (!r.ok)
        o.logger?.warn(
          { event: r.id, url: safeUrl(r.url), attempt: r.attempt, status: r.status, error: r.error },
          "webhook delivery failed",
        );
    },
  });
  const services = caseServices({
    ledger: o.ledger,
    cases: state,
    identities: state,
    blobs: new FileBlobStore(join(dataDir, "blobs")),
    clock: o.clock,
    randomBytes: o.randomBytes,
    publicUrl: o.publicUrl,
    onEvent: (e) => webhooks.notify(e),
    ...(o.allowPrivateWebhooks ? {} : { webhookUrlProblem: webhookHostProblem }),
    ...(o.signatureToleranceMs === undefined ? {} : { signatureToleranceMs: o.signatureToleranceMs }),
    ...(o.invitationTtlMs === undefined ? {} : { invitationTtlMs: o.invitationTtlMs }),
  });
  return {
    services,
    state,
    async close() {
      await webhooks.close();
      await state.close();
    },
  };
}
