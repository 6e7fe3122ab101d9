import { equalBytes } from "../core/bytes.js";
import type { Clock } from "../core/clock.js";
import { isAppError } from "../core/errors.js";
import { type ParsedCheckpoint, parseCheckpoint } from "../crypto/checkpoint.js";
import { createVerifier, type NoteVerifier } from "../crypto/note-keys.js";
import { formatNote, type NoteSignature, parseNote, parseSignatureLine } from "../crypto/signed-note.js";
import { evaluateQuorum, type TlogPolicy } from "../crypto/tlog-policy.js";
import { pickCosignature } from "./cosignature-response.js";
import { type FetchLike, type SubmitAnswer, submitCheckpoint } from "./submit-checkpoint.js";

/**
 * The log's side of c2sp.org/tlog-witness v1.0.0: after each new checkpoint,
 * ask every witness URL of the c2sp.org/tlog-policy for a cosignature, and
 * attach the ones that verify.
 *
 * - One call per URL, even when the policy lists several keys there: a second
 *   call with the same old size would only earn a 409 (transparency-dev/tessera#1028).
 * - The old size is the last size the witness acknowledged; unknown at first,
 *   so `old 0`, and on a 409 one retry from the size the witness returned
 *   (§add-checkpoint: "it MAY initially make a request with a old size of zero").
 * - A deadline per URL (2 s by default) covers both attempts; a slow or absent
 *   witness costs its own result, never the other witnesses' or the log's.
 * - Only cosignature lines that verify against the policy's key for that
 *   witness are kept (§add-checkpoint: "The client MUST ignore any cosignatures from unknown keys").
 */

export type WitnessOutcome =
  /** A cosignature that verifies was attached. */
  | "ok"
  /** The witness answered with a refusal (see `httpStatus`, `conflict`). */
  | "refused"
  /** Timeout, connection refused, reset. */
  | "unreachable"
  /** 200, but no line from this witness's key verifies. */
  | "invalid"
  /** Not asked: a newer checkpoint took this one's turn, or this one is older than one already cosigned. */
  | "skipped";

export interface WitnessResult {
  /** The witness's name in the policy. */
  witness: string;
  url: string;
  outcome: WitnessOutcome;
  httpStatus?: number;
  /** The size the witness reported in a 409 `text/x.tlog.size` body. */
  witnessSize?: number;
  /**
   * The witness holds a view of this log that this checkpoint cannot extend
   * (another root at a size we proved from, or a larger tree than ours): a
   * possible split view or a log rollback. Raise an alert.
   */
  conflict: boolean;
  /** The verified cosignature line (with its newline). */
  cosignature?: string;
  /** Its POSIX timestamp. */
  timestamp?: number;
  elapsedMs: number;
  detail?: string;
}

export interface WitnessRound {
  /** The checkpoint with the verified cosignature lines appended after the log's own signature(s). */
  note: string;
  results: WitnessResult[];
  /** Policy names of the witnesses whose cosignature is in `note`. */
  cosigned: string[];
  /** Whether those cosignatures meet the policy's quorum. */
  quorum: boolean;
}

export interface WitnessCoordinatorDeps {
  policy: TlogPolicy;
  /** RFC 6962 consistency proof between two sizes of this log (0 < from < to). */
  proveConsistency(from: number, to: number): Promise<Uint8Array[]>;
  fetch: FetchLike;
  clock: Clock;
  /** Per witness URL and round (default 2000 ms). */
  timeoutMs?: number;
  /** Cosignatures stamped further in the future are dropped (tlog-cosignature §Format: verifiers MAY reject them). */
  maxFutureSkewSeconds?: number;
}

interface Job {
  note: string;
  checkpoint: ParsedCheckpoint;
}

interface Endpoint {
  url: string;
  witnesses: { name: string; verifier: NoteVerifier }[];
  /** The last size the witness acknowledged, and whether by cosigning it (or only by reporting it in a 409). */
  size?: number;
  cosigned: boolean;
  busy: boolean;
  waiting?: { job: Job; resolve(results: WitnessResult[]): void };
}

export const DEFAULT_WITNESS_TIMEOUT_MS = 2000;

export class WitnessCoordinator {
  private readonly endpoints: Endpoint[];
  private readonly timeoutMs: number;
  private readonly skew: number;

  constructor(private readonly deps: WitnessCoordinatorDeps) {
    this.timeoutMs = deps.timeoutMs ?? DEFAULT_WITNESS_TIMEOUT_MS;
    this.skew = deps.maxFutureSkewSeconds ?? 600;
    const byUrl = new Map<string, Endpoint>();
    for (const w of deps.policy.witnesses) {
      if (w.url === undefined) continue; // offline-only policy entry: nobody to ask
      const ep = byUrl.get(w.url) ?? { url: w.url, witnesses: [], busy: false, cosigned: false };
      ep.witnesses.push({ name: w.name, verifier: createVerifier(w.vkey) });
      byUrl.set(w.url, ep);
    }
    this.endpoints = [...byUrl.values()];
  }

  /** The witness URLs asked each round (one per distinct URL). */
  get urls(): string[] {
    return this.endpoints.map((e) => e.url);
  }

  /**
   * Asks every witness URL to cosign `note` (the log's signed checkpoint) and
   * resolves with the note plus the cosignatures that verify. Never rejects
   * for a witness's sake; only a malformed `note` throws.
   */
  async witness(note: string): Promise<WitnessRound> {
    const parsed = parseNote(note);
    const job: Job = { note, checkpoint: parseCheckpoint(parsed.text) };
    const results = (await Promise.all(this.endpoints.map((ep) => this.enqueue(ep, job)))).flat();
    const lines = results.flatMap((r) => (r.cosignature ? [parseSignatureLine(r.cosignature)] : []));
    const same = (a: NoteSignature, b: NoteSignature) => a.name === b.name && equalBytes(a.keyId, b.keyId);
    const kept = parsed.signatures.filter((s) => !lines.some((l) => same(s, l)));
    const cosigned = results.filter((r) => r.outcome === "ok").map((r) => r.witness);
    return {
      note: lines.length === 0 ? note : formatNote({ text: parsed.text, signatures: [...kept, ...lines] }),
      results,
      cosigned,
      quorum: evaluateQuorum(this.deps.policy, cosigned),
    };
  }

  /** One round per URL at a time; a newer checkpoint replaces one still waiting (which is skipped). */
  private enqueue(ep: Endpoint, job: Job): Promise<WitnessResult[]> {
    if (!ep.busy) return this.run(ep, job);
    return new Promise((resolve) => {
      ep.waiting?.resolve(
        this.all(ep, { outcome: "skipped", detail: "superseded by a newer checkpoint" }, 0),
      );
      ep.waiting = { job, resolve };
    });
  }

  private async run(ep: Endpoint, job: Job): Promise<WitnessResult[]> {
    ep.busy = true;
    try {
      return await this.round(ep, job);
    } finally {
      ep.busy = false;
      const next = ep.waiting;
      ep.waiting = undefined;
      if (next) void this.run(ep, next.job).then(next.resolve);
    }
  }

  private all(
    ep: Endpoint,
    r: Omit<WitnessResult, "witness" | "url" | "conflict" | "elapsedMs"> & { conflict?: boolean },
    elapsedMs: number,
  ): WitnessResult[] {
    return ep.witnesses.map((w) => ({ witness: w.name, url: ep.url, conflict: false, elapsedMs, ...r }));
  }

  private async round(ep: Endpoint, job: Job): Promise<WitnessResult[]> {
    const { size } = job.checkpoint;
    if (ep.size !== undefined && ep.cosigned && size < ep.size) {
      return this.all(ep, { outcome: "skipped", detail: `the witness already cosigned size ${ep.size}` }, 0);
    }
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const ctrl = new AbortController();
    const timer = setTimeout(
      () => ctrl.abort(new Error(`no answer within ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    timer.unref?.();
    try {
      let answer = await this.attempt(
        ep,
        job,
        ep.size !== undefined && ep.size <= size ? ep.size : 0,
        ctrl.signal,
      );
      if (answer.kind === "size-conflict") {
        this.remember(ep, answer.size);
        if (answer.size <= size) answer = await this.attempt(ep, job, answer.size, ctrl.signal);
      }
      if (answer.kind === "cosigned") {
        ep.size = size;
        ep.cosigned = true;
        return this.verifyAnswer(ep, job, answer.body, elapsed());
      }
      if (answer.kind === "size-conflict") {
        this.remember(ep, answer.size);
        return this.all(
          ep,
          {
            outcome: "refused",
            httpStatus: 409,
            witnessSize: answer.size,
            conflict: answer.size >= size,
            detail: `the witness is at size ${answer.size}`,
          },
          elapsed(),
        );
      }
      if (answer.kind === "unreadable-size") {
        return this.all(
          ep,
          {
            outcome: "invalid",
            httpStatus: 409,
            detail: `a 409 whose text/x.tlog.size body is not a size: ${JSON.stringify(answer.body.slice(0, 40))}`,
          },
          elapsed(),
        );
      }
      // 409 without a size: another root at our size. 422: our proof does not reach the root it holds.
      const conflict = answer.status === 409 || answer.status === 422;
      return this.all(
        ep,
        { outcome: "refused", httpStatus: answer.status, conflict, detail: answer.body.trim() },
        elapsed(),
      );
    } catch (e) {
      const detail = ctrl.signal.aborted
        ? String((ctrl.signal.reason as Error)?.message ?? "timeout")
        : errorText(e);
      return this.all(ep, { outcome: isAppError(e) ? "skipped" : "unreachable", detail }, elapsed());
    } finally {
      clearTimeout(timer);
    }
  }

  private remember(ep: Endpoint, size: number): void {
    ep.size = size;
    ep.cosigned = false;
  }

  private async attempt(ep: Endpoint, job: Job, oldSize: number, signal: AbortSignal): Promise<SubmitAnswer> {
    const { size } = job.checkpoint;
    // §add-checkpoint: "The proof MUST be empty if the old size is zero"; equal sizes need none either.
    const proof = oldSize === 0 || oldSize === size ? [] : await this.deps.proveConsistency(oldSize, size);
    const submit = () =>
      submitCheckpoint(this.deps.fetch, ep.url, { oldSize, proof, checkpoint: job.note }, signal);
    try {
      return await submit();
    } catch (e) {
      // A kept-alive connection that the witness dropped (it restarted, say) fails at once
      // with a socket error: try once more on a fresh one. A repeat is harmless: a witness
      // that did take the first answers 409 with its new size, which the caller handles.
      if (signal.aborted || !DROPPED_CONNECTION.has(errorText(e))) throw e;
      return submit();
    }
  }

  private verifyAnswer(ep: Endpoint, job: Job, body: string, elapsedMs: number): WitnessResult[] {
    const text = parseNote(job.note).text;
    const notAfter = Math.floor(this.deps.clock.now().getTime() / 1000) + this.skew;
    return ep.witnesses.map(({ name, verifier }) => {
      const base = { witness: name, url: ep.url, conflict: false, elapsedMs, httpStatus: 200 };
      const picked = pickCosignature(text, body, verifier, notAfter);
      return picked.ok
        ? { ...base, outcome: "ok" as const, cosignature: picked.line, timestamp: picked.timestamp }
        : { ...base, outcome: "invalid" as const, detail: picked.detail };
    });
  }
}

/** Socket errors that mean a kept-alive connection was closed under the request. */
const DROPPED_CONNECTION = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"]);

function errorText(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}
