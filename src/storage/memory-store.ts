import { toHex } from "../core/bytes.js";
import { StorageError } from "../core/errors.js";
import type { BlockWrite, LedgerStore, StoredCheckpoint, StoredEntry } from "../ledger/ledger-store.js";
import type { NodeId } from "../merkle/node-id.js";

/** In-memory LedgerStore for tests and ephemeral use; passes the same contract suite as LevelDB. */
export class MemoryLedgerStore implements LedgerStore {
  private meta = new Map<string, string>();
  private entries: Uint8Array[] = [];
  private nodes: Map<number, Uint8Array>[] = [];
  private checkpoints: StoredCheckpoint[] = [];
  private digests = new Map<string, number[]>();
  private ids = new Map<string, number>();
  private refs = new Map<string, number[]>();
  private isOpen = false;

  async open(): Promise<void> {
    this.isOpen = true;
  }

  async close(): Promise<void> {
    this.isOpen = false;
  }

  private check(): void {
    if (!this.isOpen) throw new StorageError("CLOSED", "store is not open");
  }

  async getMeta(name: string): Promise<string | undefined> {
    this.check();
    return this.meta.get(name);
  }

  async putMeta(name: string, value: string): Promise<void> {
    this.check();
    this.meta.set(name, value);
  }

  async appendBlock(block: BlockWrite): Promise<void> {
    this.check();
    const expected = this.entries.length;
    block.entries.forEach((e, i) => {
      if (e.index !== expected + i)
        throw new StorageError("STORAGE_FAILURE", `entry ${e.index} out of order`);
    });
    for (const e of block.entries) this.entries.push(e.data.slice());
    for (const n of block.nodes) {
      let level = this.nodes[n.level];
      if (!level) {
        level = new Map();
        this.nodes[n.level] = level;
      }
      level.set(n.index, n.hash.slice());
    }
    for (const d of block.digests) {
      const k = toHex(d.sha256);
      const list = this.digests.get(k) ?? [];
      list.push(d.index);
      this.digests.set(k, list);
    }
    for (const d of block.ids) {
      const k = toHex(d.id);
      if (!this.ids.has(k)) this.ids.set(k, d.index);
    }
    for (const r of block.refs) {
      const list = this.refs.get(r.ref) ?? [];
      list.push(r.index);
      this.refs.set(r.ref, list);
    }
    this.checkpoints.push({ ...block.checkpoint });
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    this.check();
    return this.checkpoints.at(-1);
  }

  async getCheckpoint(blockHeight: number): Promise<StoredCheckpoint | undefined> {
    this.check();
    return this.checkpoints[blockHeight];
  }

  async checkpointCovering(index: number): Promise<StoredCheckpoint | undefined> {
    this.check();
    let lo = 0;
    let hi = this.checkpoints.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.checkpoints[mid] as StoredCheckpoint).size > index) hi = mid;
      else lo = mid + 1;
    }
    return this.checkpoints[lo];
  }

  async *iterateCheckpoints(fromHeight = 0): AsyncIterable<StoredCheckpoint> {
    this.check();
    for (let h = fromHeight; h < this.checkpoints.length; h++) yield this.checkpoints[h] as StoredCheckpoint;
  }

  async *iterateBlockIndex(): AsyncIterable<{ size: number; blockHeight: number }> {
    this.check();
    for (const c of this.checkpoints) yield { size: c.size, blockHeight: c.blockHeight };
  }

  async recentBlockSizes(count: number): Promise<{ fromHeight: number; sizes: number[] }> {
    this.check();
    const fromHeight = Math.max(0, this.checkpoints.length - count);
    return { fromHeight, sizes: this.checkpoints.slice(fromHeight).map((c) => c.size) };
  }

  async getEntryWithLeaf(index: number): Promise<Required<StoredEntry> | undefined> {
    this.check();
    const data = this.entries[index];
    const leafHash = this.nodes[0]?.get(index);
    return data && leafHash ? { index, data, leafHash } : undefined;
  }

  async getEntry(index: number): Promise<Uint8Array | undefined> {
    this.check();
    return this.entries[index];
  }

  async *iterateEntries(from = 0, limit = Number.POSITIVE_INFINITY): AsyncIterable<StoredEntry> {
    this.check();
    const end = Math.min(this.entries.length, from + limit);
    for (let i = from; i < end; i++) yield { index: i, data: this.entries[i] as Uint8Array };
  }

  async readEntries(from: number, limit: number): Promise<StoredEntry[]> {
    this.check();
    const out: StoredEntry[] = [];
    for (let i = from; i < Math.min(this.entries.length, from + limit); i++)
      out.push({ index: i, data: this.entries[i] as Uint8Array });
    return out;
  }

  async getNodes(ids: readonly NodeId[]): Promise<Uint8Array[]> {
    this.check();
    return ids.map(({ level, index }) => {
      const h = this.nodes[level]?.get(index);
      if (!h) throw new StorageError("STORAGE_FAILURE", `missing Merkle node level ${level} index ${index}`);
      return h;
    });
  }

  async readNodeRange(level: number, from: number, count: number): Promise<Uint8Array[]> {
    this.check();
    const out: Uint8Array[] = [];
    for (let i = from; i < from + count; i++) {
      const hash = this.nodes[level]?.get(i);
      if (hash) out.push(hash);
    }
    return out;
  }

  async *iterateNodes(level: number): AsyncIterable<{ index: number; hash: Uint8Array }> {
    this.check();
    const m = this.nodes[level];
    if (!m) return;
    for (const index of [...m.keys()].sort((a, b) => a - b))
      yield { index, hash: m.get(index) as Uint8Array };
  }

  async findByDigest(sha256: Uint8Array, limit = 100): Promise<number[]> {
    this.check();
    return (this.digests.get(toHex(sha256)) ?? []).slice(0, limit);
  }

  async findById(id: Uint8Array): Promise<number | undefined> {
    this.check();
    return this.ids.get(toHex(id));
  }

  async findByRef(ref: string, limit = 10_000): Promise<number[]> {
    this.check();
    return (this.refs.get(ref) ?? []).slice(0, limit);
  }

  /** Test hook: overwrite stored bytes to simulate tampering or corruption. */
  tamperEntry(index: number, data: Uint8Array): void {
    this.entries[index] = data;
  }
}
