import { CONCLUSIVE } from "./misbehaviour.js";
import {
  LEADS_KEPT,
  MISBEHAVIOUR_PAGE,
  type MisbehaviourDetails,
  type MisbehaviourReason,
  type MisbehaviourRecord,
  type WitnessState,
  type WitnessStore,
} from "./witness-store.js";

/**
 * In-memory witness state for tests and benchmarks. Compare-and-swap is
 * atomic because nothing awaits between the comparison and the write.
 */
export class MemoryWitnessStore implements WitnessStore {
  private readonly states = new Map<string, WitnessState>();
  private readonly evidence = new Map<string, MisbehaviourRecord>();
  private readonly leads = new Map<string, MisbehaviourRecord>();

  constructor(private readonly leadsKept = LEADS_KEPT) {}

  async open(): Promise<void> {}
  async close(): Promise<void> {}

  async get(origin: string): Promise<WitnessState | undefined> {
    const s = this.states.get(origin);
    return s && { ...s, root: s.root.slice() };
  }

  async compareAndSwap(
    origin: string,
    expectedSize: number | undefined,
    newSize: number,
    newRoot: Uint8Array,
    note?: string,
  ): Promise<boolean> {
    if (this.states.get(origin)?.size !== expectedSize) return false;
    this.states.set(origin, {
      size: newSize,
      root: newRoot.slice(),
      ...(note === undefined ? {} : { note }),
    });
    return true;
  }

  async recordMisbehaviour(
    origin: string,
    note: string,
    reason: MisbehaviourReason,
    details: MisbehaviourDetails,
  ): Promise<boolean> {
    const key = `${origin}\n${reason}\n${note}`;
    const kept = CONCLUSIVE[reason] ? this.evidence : this.leads;
    if (this.evidence.has(key) || this.leads.has(key)) return false;
    kept.set(key, { origin, reason, note, ...details });
    if (this.leads.size > this.leadsKept) this.leads.delete(this.leads.keys().next().value as string);
    return true;
  }

  async listMisbehaviour(limit = MISBEHAVIOUR_PAGE): Promise<MisbehaviourRecord[]> {
    // Conclusive records first, then leads; Map iteration is insertion order, i.e. oldest first.
    return [...this.evidence.values(), ...this.leads.values()]
      .slice(0, Math.max(0, Math.min(limit, MISBEHAVIOUR_PAGE)))
      .map((r) => ({ ...r }));
  }
}
