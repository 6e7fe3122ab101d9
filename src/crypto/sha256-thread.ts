import { Worker } from "node:worker_threads";
import { LazyThread } from "./lazy-thread.js";
import { createSha256, type Sha256Stream, sha256 } from "./sha256.js";

/**
 * SHA-256 of a large stream on a second thread, so that hashing overlaps with
 * receiving: the thread that reads a socket and parses multipart hands the
 * bytes over in 1 MiB buffers (copied once, then transferred, not copied
 * again) and goes on reading while the hashing thread works. On one thread an
 * upload's time is the sum of the two; here they overlap (a 1 GiB upload on
 * two cores: 56% of openssl's speed, against 49% hashing in place).
 *
 * One hashing thread serves every stream of the process; it starts on first
 * use and does not keep the process alive. Where it cannot start, streams
 * hash on the calling thread (same results, no overlap).
 */
export interface ThreadedSha256 {
  /** Takes a chunk (copied, so the caller may reuse it); a returned promise asks the caller to wait before the next chunk. */
  update(chunk: Uint8Array): Promise<void> | undefined;
  digest(): Promise<Uint8Array>;
  /** Frees the hashing state of an abandoned stream. */
  abort(): void;
}

/** Bytes per hand-over, and hand-overs in flight per stream (memory per stream: their product). */
export const STAGE_BYTES = 1 << 20;
const STAGES_PER_STREAM = 4;

const SCRIPT = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const hashes = new Map();
parentPort.on("message", (m) => {
  if (m.op === "update") {
    let h = hashes.get(m.id);
    if (!h) hashes.set(m.id, (h = createHash("sha256")));
    h.update(new Uint8Array(m.buffer, 0, m.length));
    parentPort.postMessage({ op: "free", id: m.id, buffer: m.buffer }, [m.buffer]);
  } else if (m.op === "digest") {
    const h = hashes.get(m.id) ?? createHash("sha256");
    hashes.delete(m.id);
    if (m.buffer) h.update(new Uint8Array(m.buffer, 0, m.length));
    const d = h.digest();
    parentPort.postMessage({ op: "digest", id: m.id, digest: d.buffer.slice(d.byteOffset, d.byteOffset + 32) });
  } else if (m.op === "drop") {
    hashes.delete(m.id);
  }
});
`;

type FromThread =
  | { op: "free"; id: number; buffer: ArrayBuffer }
  | { op: "digest"; id: number; digest: ArrayBuffer };

interface StreamEnds {
  onFree(buffer: ArrayBuffer): void;
  onDigest(digest: Uint8Array): void;
  onFail(error: Error): void;
}

class HashThread {
  readonly #worker: Worker;
  readonly #streams = new Map<number, StreamEnds>();
  #nextId = 1;
  #failed: Error | undefined;

  constructor(forget: () => void) {
    // No inherited flags: the script is CommonJS whatever the process was started with.
    this.#worker = new Worker(SCRIPT, { eval: true, execArgv: [] });
    this.#worker.on("message", (m: FromThread) => {
      const s = this.#streams.get(m.id);
      if (!s) return;
      if (m.op === "free") s.onFree(m.buffer);
      else {
        this.#forget(m.id);
        s.onDigest(new Uint8Array(m.digest));
      }
    });
    const fail = (e: Error) => {
      this.#failed = e;
      for (const s of this.#streams.values()) s.onFail(e);
      this.#streams.clear();
      forget(); // the next stream starts a new thread
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) => fail(new Error(`the hashing thread exited (code ${code})`)));
    // Unreferenced while no stream is open (after the listeners, since adding a "message"
    // listener refs the port again): a service that once hashed an upload must still exit
    // when it stops, and an open stream keeps the process alive like any pending I/O.
    this.#worker.unref();
  }

  #forget(id: number): boolean {
    const had = this.#streams.delete(id);
    if (had && this.#streams.size === 0) this.#worker.unref();
    return had;
  }

  open(ends: StreamEnds): number | undefined {
    if (this.#failed) return undefined;
    const id = this.#nextId++;
    if (this.#streams.size === 0) this.#worker.ref();
    this.#streams.set(id, ends);
    return id;
  }

  post(message: { op: string; id: number; buffer?: ArrayBuffer; length?: number }): void {
    this.#worker.postMessage(message, message.buffer ? [message.buffer] : []);
  }

  /** Ends a stream; the thread is told only if it ever received the stream's bytes. */
  close(id: number, reachedThread: boolean): void {
    if (this.#forget(id) && reachedThread) this.post({ op: "drop", id });
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}

const thread = new LazyThread((forget) => new HashThread(forget));

/** Stops the shared hashing thread (tests; the thread never keeps a process alive). */
export function stopHashThread(): Promise<void> {
  return thread.stop();
}

/** A stream hashed on the calling thread, for where the hashing thread is unavailable. */
function hashedHere(): ThreadedSha256 {
  const h: Sha256Stream = createSha256();
  return {
    update: (chunk) => {
      h.update(chunk);
      return undefined;
    },
    digest: () => Promise.resolve(h.digest()),
    abort: () => undefined,
  };
}

export function createThreadedSha256(): ThreadedSha256 {
  const t = thread.get();
  if (!t) return hashedHere();
  const free: ArrayBuffer[] = [];
  let allocated = 0;
  let stage: Uint8Array | undefined;
  let staged = 0;
  let posted = false;
  let failure: Error | undefined;
  let waiting: { resolve(): void; reject(e: Error): void } | undefined;
  /** The last chunk queued behind a full pool (chunks wait in order); digest() waits for it too. */
  let tail: Promise<void> | undefined;
  let result: { resolve(d: Uint8Array): void; reject(e: Error): void } | undefined;
  const id = t.open({
    onFree(buffer) {
      free.push(buffer);
      const w = waiting;
      waiting = undefined;
      w?.resolve();
    },
    onDigest: (d) => result?.resolve(d),
    onFail(e) {
      failure = e;
      waiting?.reject(e);
      result?.reject(e);
    },
  });
  if (id === undefined) return hashedHere();

  const takeStage = (): Uint8Array | undefined => {
    const reused = free.pop();
    if (reused) return new Uint8Array(reused);
    if (allocated === STAGES_PER_STREAM) return undefined;
    allocated++;
    return new Uint8Array(STAGE_BYTES);
  };
  /** Copies as much of `chunk` as the free buffers hold, handing over each full one; returns the bytes taken. */
  const fill = (chunk: Uint8Array): number => {
    let off = 0;
    while (off < chunk.length) {
      stage ??= takeStage();
      if (!stage) break;
      const n = Math.min(chunk.length - off, STAGE_BYTES - staged);
      stage.set(chunk.subarray(off, off + n), staged);
      staged += n;
      off += n;
      if (staged === STAGE_BYTES) {
        t.post({ op: "update", id, buffer: stage.buffer as ArrayBuffer, length: staged });
        posted = true;
        stage = undefined;
        staged = 0;
      }
    }
    return off;
  };
  const freed = () =>
    failure
      ? Promise.reject(failure)
      : new Promise<void>((resolve, reject) => {
          waiting = { resolve, reject };
        });
  const drain = async (rest: Uint8Array) => {
    for (let off = fill(rest); off < rest.length; off += fill(rest.subarray(off))) await freed();
  };
  const update = (chunk: Uint8Array): Promise<void> | undefined => {
    if (failure) return Promise.reject(failure);
    let rest = chunk;
    if (!tail) {
      const taken = fill(chunk);
      if (taken === chunk.length) return undefined;
      rest = chunk.subarray(taken);
    }
    // Queued in order behind any earlier remainder, copied since the caller may reuse its chunk.
    const copy = rest.slice();
    const p: Promise<void> = (tail ?? Promise.resolve()).then(() => drain(copy));
    tail = p;
    p.then(
      () => {
        if (tail === p) tail = undefined;
      },
      () => undefined, // the caller and digest() see the failure
    );
    return p;
  };
  return {
    update,
    async digest() {
      while (tail) await tail;
      if (failure) throw failure;
      if (!posted) {
        // Small enough to have stayed in one buffer: no round trip to the other thread.
        t.close(id, false);
        return sha256(stage ? stage.subarray(0, staged) : new Uint8Array(0));
      }
      return new Promise<Uint8Array>((resolve, reject) => {
        result = { resolve, reject };
        const buffer = stage?.buffer as ArrayBuffer | undefined;
        t.post({ op: "digest", id, ...(buffer ? { buffer, length: staged } : {}) });
        stage = undefined;
      });
    },
    abort: () => t.close(id, posted),
  };
}
