import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { equalBytes, fromHex, toHex, utf8 } from "../core/bytes.js";
import type { Clock, RandomBytes } from "../core/clock.js";
import type { CaseStore } from "../esign/ports.js";
import type { CaseEvent } from "./cases/context.js";

/*
 * Webhook deliveries: POST JSON to the case's URL with
 *   Notarium-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
 * Receivers recompute the HMAC and refuse deliveries whose t is more than
 * REPLAY_WINDOW_SECONDS from their clock (and may remember event ids to drop
 * duplicates: retries reuse the same id). Failed deliveries are retried with
 * exponential backoff; pending retries live in memory and end with the process.
 */
export const REPLAY_WINDOW_SECONDS = 300;
export const SIGNATURE_HEADER = "notarium-signature";

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${toHex(hmac(sha256, utf8(secret), utf8(`${timestamp}.${body}`)))}`;
}

/** For receivers: true when the header is a valid, fresh signature of `body`. */
export function verifyWebhook(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
): boolean {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(nowSeconds - t) > REPLAY_WINDOW_SECONDS) return false;
  const want = hmac(sha256, utf8(secret), utf8(`${t}.${body}`));
  return equalBytes(want, fromHex(m[2] as string, 32));
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number }>;

export interface WebhookOptions {
  cases: CaseStore;
  clock: Clock;
  randomBytes: RandomBytes;
  fetch: FetchLike;
  /** Delay before retry n (0-based), in ms. */
  backoffMs?: (attempt: number) => number;
  maxAttempts?: number;
  timeoutMs?: number;
  onResult?: (r: {
    id: string;
    url: string;
    attempt: number;
    ok: boolean;
    status?: number;
    error?: string;
  }) => void;
}

export class WebhookDispatcher {
  private readonly waits = new Map<ReturnType<typeof setTimeout>, () => void>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly o: WebhookOptions) {}

  /** Queues delivery of an event to the case's webhook, if it has one. Never throws. */
  notify(e: CaseEvent): void {
    if (this.closed) return;
    const p = (async () => {
      const c = await this.o.cases.getCase(e.caseId).catch(() => undefined);
      if (!c?.webhook) return;
      const body = JSON.stringify({
        id: `evt_${toHex(this.o.randomBytes(12))}`,
        type: e.type,
        caseId: e.caseId,
        createdAt: this.o.clock.now().toISOString(),
        data: e.data,
      });
      await this.attempt(c.webhook.url, c.webhook.secret, body, 0);
    })();
    this.track(p);
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
  }

  private async attempt(url: string, secret: string, body: string, attempt: number): Promise<void> {
    const id = (JSON.parse(body) as { id: string }).id;
    const t = Math.floor(this.o.clock.now().getTime() / 1000);
    let ok = false;
    let status: number | undefined;
    let error: string | undefined;
    try {
      const r = await this.o.fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [SIGNATURE_HEADER]: signWebhook(secret, t, body),
          "notarium-event-id": id,
        },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 5000),
      });
      status = r.status;
      ok = r.status >= 200 && r.status < 300;
    } catch (e) {
      error = (e as Error).message;
    }
    this.o.onResult?.({
      id,
      url,
      attempt,
      ok,
      ...(status !== undefined ? { status } : {}),
      ...(error ? { error } : {}),
    });
    if (ok || this.closed || attempt + 1 >= (this.o.maxAttempts ?? 6)) return;
    const delay = (this.o.backoffMs ?? ((n) => 1000 * 2 ** n))(attempt);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.waits.delete(timer);
        resolve();
      }, delay);
      this.waits.set(timer, resolve);
    });
    if (!this.closed) await this.attempt(url, secret, body, attempt + 1);
  }

  /** Stops retries and waits for deliveries in progress. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [timer, resolve] of this.waits) {
      clearTimeout(timer);
      resolve();
    }
    this.waits.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}
