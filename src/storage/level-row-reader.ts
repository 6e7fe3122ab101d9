import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** How long a closing reader may take to finish its reads before its thread is stopped. */
const CLOSE_GRACE_MS = 5000;

/** Values of consecutive rows, packed: row i is bytes[ends[i-1] ?? 0, ends[i]). */
export interface PackedRows {
  bytes: Uint8Array;
  ends: Uint32Array;
}

interface Reply {
  id: number;
  bytes?: Uint8Array;
  ends?: Uint32Array;
  error?: string;
}

// The worker's code, as a script: it opens the same LevelDB (classic-level shares one
// handle per location within a process when every opener asks for multithreading),
// reads values only and hands each range back as one transferred buffer. Turning rows
// into JS Buffers costs a malloc and a backing store each; done here, on another core,
// the caller's thread sees one allocation per read instead of one per row.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { ClassicLevel } = require(workerData.lib);
const db = new ClassicLevel(workerData.location, { keyEncoding: "view", valueEncoding: "view" });
const ready = db.open({ multithreading: true, createIfMissing: false });
const inFlight = new Set();
async function read({ id, gte, lte, limit }) {
  try {
    await ready;
    const it = db.values({ gte, lte, limit, highWaterMarkBytes: 64 << 20 });
    let rows;
    try { rows = await it.nextv(limit); } finally { await it.close(); }
    let total = 0;
    for (const v of rows) total += v.length;
    const bytes = new Uint8Array(total);
    const ends = new Uint32Array(rows.length);
    let o = 0;
    for (let i = 0; i < rows.length; i++) { bytes.set(rows[i], o); o += rows[i].length; ends[i] = o; }
    parentPort.postMessage({ id, bytes, ends }, [bytes.buffer, ends.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  }
}
parentPort.on("message", (m) => {
  if (m.close) {
    // Finish what was asked, close this thread's handle, then end the thread.
    Promise.allSettled([ready, ...inFlight])
      .then(() => db.close())
      .catch(() => undefined)
      .finally(() => process.exit(0));
    return;
  }
  const p = read(m);
  inFlight.add(p);
  p.finally(() => inFlight.delete(p));
});
`;

/**
 * Reads key ranges of an open LevelDB on a worker thread. For bulk scans (audits):
 * the worker turns rows into one packed buffer, so the calling thread keeps its
 * time for hashing. The database must have been opened with `multithreading: true`.
 */
export class LevelRowReader {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: PackedRows) => void; reject: (e: Error) => void }>();
  readonly #exited: Promise<void>;
  #seq = 0;
  #failed: Error | undefined;

  constructor(location: string) {
    const lib = createRequire(import.meta.url).resolve("classic-level");
    // No inherited flags: the script is CommonJS whatever the process was started with.
    this.#worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: { lib, location } });
    this.#worker.unref(); // an idle reader never keeps the process alive
    this.#worker.on("message", (r: Reply) => {
      const p = this.#pending.get(r.id);
      if (!p) return;
      this.#pending.delete(r.id);
      if (r.error !== undefined || !r.bytes || !r.ends) p.reject(new Error(r.error ?? "no rows"));
      else p.resolve({ bytes: r.bytes, ends: r.ends });
      if (this.#pending.size === 0) this.#worker.unref();
    });
    const fail = (e: Error) => {
      this.#failed = e;
      for (const p of this.#pending.values()) p.reject(e);
      this.#pending.clear();
    };
    this.#worker.on("error", fail);
    this.#exited = new Promise((resolve) => {
      this.#worker.on("exit", (code) => {
        fail(new Error(`row reader exited (${code})`));
        resolve();
      });
    });
  }

  /** Values of the rows in [gte, lte], at most `limit` of them, in key order. */
  read(gte: Uint8Array, lte: Uint8Array, limit: number): Promise<PackedRows> {
    if (this.#failed) return Promise.reject(this.#failed);
    return new Promise((resolve, reject) => {
      const id = this.#seq++;
      this.#pending.set(id, { resolve, reject });
      this.#worker.ref(); // a read in flight keeps the process alive until it answers
      this.#worker.postMessage({ id, gte, lte, limit });
    });
  }

  /**
   * Lets the reads in flight finish, closes the worker's handle and ends the thread.
   * Not `terminate()`: stopping a thread while LevelDB works for it (an iterator
   * mid-read) takes tens of milliseconds, and in that time Node keeps nothing alive
   * on this side for the worker's exit, so a CLI whose last step was this close
   * could end with its top-level await unsettled (exit 13). The timer holds the
   * process until the thread has gone; a thread that does not go is stopped.
   */
  async close(): Promise<void> {
    const keepAlive = setInterval(() => undefined, 1000);
    const force = setTimeout(() => void this.#worker.terminate(), CLOSE_GRACE_MS);
    try {
      this.#worker.postMessage({ close: true });
      await this.#exited;
    } finally {
      clearInterval(keepAlive);
      clearTimeout(force);
    }
  }
}

/** Row i of packed rows, as a view (no copy). */
export function packedRow(rows: PackedRows, i: number): Uint8Array {
  const start = i === 0 ? 0 : (rows.ends[i - 1] as number);
  return rows.bytes.subarray(start, rows.ends[i] as number);
}
