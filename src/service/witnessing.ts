import type { Ledger } from "../ledger/ledger.js";
import type { StoredCheckpoint } from "../ledger/ledger-store.js";

/** What the log needs from a witness coordinator (src/witness WitnessCoordinator is one). */
export interface CheckpointWitness {
  witness(
    note: string,
  ): Promise<{ note: string; cosigned: string[]; quorum: boolean; results: WitnessOutcomeReport[] }>;
}

export interface WitnessOutcomeReport {
  witness: string;
  /** POSIX seconds of the cosignature, when one was made. */
  timestamp?: number;
  url: string;
  outcome: string;
  conflict: boolean;
  httpStatus?: number;
  detail?: string;
  elapsedMs: number;
}

/** One witness round for one block: what each witness did, and whether the policy's quorum was met. */
export interface WitnessRoundReport {
  blockHeight: number;
  results: WitnessOutcomeReport[];
  quorum: boolean;
}

/** A checkpoint with the witness cosignatures it collected. */
export interface WitnessedCheckpoint extends StoredCheckpoint {
  cosigned: string[];
  /** When each witness in `cosigned` signed (ISO 8601, from its cosignature timestamp). */
  cosignedAt?: string[];
  quorum: boolean;
}

const META_LATEST = "witnessed";
const META_QUORUM = "witnessed-quorum";

/**
 * Keeps the log's checkpoints cosigned by the court witnesses of the policy.
 * After every block (never on the deposit path) the coordinator asks each
 * witness; the newest cosigned checkpoint, and the newest one meeting the
 * quorum, are persisted so receipts and /log/checkpoint survive restarts.
 */
export class Witnessing {
  private latestCosigned: WitnessedCheckpoint | undefined;
  private latestQuorum: WitnessedCheckpoint | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly listeners = new Set<(r: WitnessRoundReport) => void>();
  private lastReport: WitnessRoundReport | undefined;

  private constructor(
    private readonly ledger: Ledger,
    private readonly witness: CheckpointWitness | undefined,
  ) {}

  static async open(
    ledger: Ledger,
    witness: CheckpointWitness | undefined,
    report?: (r: WitnessRoundReport) => void,
  ): Promise<Witnessing> {
    const w = new Witnessing(ledger, witness);
    if (report) w.onRound(report);
    const load = async (name: string) => {
      const v = await ledger.storage.getMeta(name);
      return v ? (JSON.parse(v) as WitnessedCheckpoint) : undefined;
    };
    w.latestCosigned = await load(META_LATEST);
    w.latestQuorum = await load(META_QUORUM);
    // Resynchronise the witnesses with the current head at start-up.
    if (witness) w.onBlock(ledger.latest());
    return w;
  }

  get enabled(): boolean {
    return this.witness !== undefined;
  }

  /** Ledger onBlock hook: ask the witnesses, in the background. */
  onBlock(cp: StoredCheckpoint): void {
    if (!this.witness) return;
    const p = this.witness
      .witness(cp.note)
      .then(async (round) => {
        const report = { blockHeight: cp.blockHeight, results: round.results, quorum: round.quorum };
        this.lastReport = report;
        for (const l of this.listeners) {
          try {
            l(report);
          } catch {
            // a listener (logging, metrics) never stops the round from being recorded
          }
        }
        if (round.cosigned.length === 0) return;
        const signedAt = (name: string) => {
          const t = round.results.find((r) => r.witness === name && r.outcome === "ok")?.timestamp;
          return t === undefined ? cp.time : new Date(t * 1000).toISOString();
        };
        const w: WitnessedCheckpoint = {
          ...cp,
          note: round.note,
          cosigned: round.cosigned,
          cosignedAt: round.cosigned.map(signedAt),
          quorum: round.quorum,
        };
        if (!this.latestCosigned || w.size >= this.latestCosigned.size) {
          this.latestCosigned = w;
          await this.ledger.storage.putMeta(META_LATEST, JSON.stringify(w));
        }
        if (w.quorum && (!this.latestQuorum || w.size >= this.latestQuorum.size)) {
          this.latestQuorum = w;
          await this.ledger.storage.putMeta(META_QUORUM, JSON.stringify(w));
        }
      })
      .catch(() => undefined);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /**
   * Calls `listener` after every witness round (logs, metrics), starting with
   * the last one already done (the start-up round often ends before the
   * metrics exist); returns a function that stops it.
   */
  onRound(listener: (r: WitnessRoundReport) => void): () => void {
    this.listeners.add(listener);
    if (this.lastReport) {
      try {
        listener(this.lastReport);
      } catch {
        // as for every round: a listener never breaks the witnessing
      }
    }
    return () => this.listeners.delete(listener);
  }

  /** Sizes of the newest checkpoint with any cosignature, and of the newest meeting the quorum. */
  get witnessedSizes(): { cosigned: number | undefined; quorum: number | undefined } {
    return { cosigned: this.latestCosigned?.size, quorum: this.latestQuorum?.size };
  }

  /** The checkpoint to publish: the newest one, with its cosignatures once they arrived. */
  checkpoint(): StoredCheckpoint {
    const head = this.ledger.latest();
    return this.latestCosigned && this.latestCosigned.size === head.size ? this.latestCosigned : head;
  }

  /** The checkpoint a proof of `index` should use: the newest meeting the quorum that covers it, else the newest. */
  checkpointFor(index: number): StoredCheckpoint {
    if (this.latestQuorum && this.latestQuorum.size > index) return this.latestQuorum;
    return this.checkpoint();
  }

  /** Witness names and times of the cosignatures on a checkpoint this log published (for certificates). */
  cosignaturesOf(note: string): { witness: string; time: string }[] {
    const w = [this.latestQuorum, this.latestCosigned].find((c) => c?.note === note);
    if (!w) return [];
    return w.cosigned.map((witness, i) => ({ witness, time: w.cosignedAt?.[i] ?? w.time }));
  }

  /** Waits for rounds in progress (shutdown). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
