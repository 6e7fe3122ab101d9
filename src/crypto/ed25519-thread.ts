import { Worker } from "node:worker_threads";
import { ed25519, strictPrecheck } from "./ed25519.js";
import { LazyThread } from "./lazy-thread.js";

/**
 * Ed25519 verification on a second thread, for the service's signature
 * submissions: OpenSSL's verification (and the import of a party's key, new
 * for nearly every signature) is about 140 µs of CPU on a small server, more
 * than everything else a submission does on the thread that runs the HTTP
 * server. Here that thread only runs strict RFC 8032's byte checks
 * (strictPrecheck) and hands the rest over; verifications asked for in the
 * same turn of the event loop go over together, in one message each way.
 *
 * One verifying thread serves the process; it starts on first use and does
 * not keep the process alive. Where it cannot start, or fails, verification
 * runs on the calling thread with the same results.
 */

const SCRIPT = `
const { parentPort } = require("node:worker_threads");
const c = require("node:crypto");
const keys = new Map();
parentPort.on("message", (batch) => {
  const out = new Uint8Array(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const [signature, message, publicKey] = batch[i];
    try {
      const x = Buffer.from(publicKey).toString("base64url");
      let key = keys.get(x);
      if (!key) {
        key = c.createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
        if (keys.size >= 1024) keys.clear();
        keys.set(x, key);
      }
      out[i] = c.verify(null, message, key, signature) ? 1 : 0;
    } catch {
      out[i] = 0;
    }
  }
  parentPort.postMessage(out, [out.buffer]);
});
`;

type Args = [signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array];
interface Ask {
  args: Args;
  resolve(ok: boolean): void;
}

class VerifyThread {
  readonly #worker: Worker;
  /** Batches sent, answered in order. */
  readonly #sent: Ask[][] = [];
  #next: Ask[] = [];
  #scheduled = false;

  constructor(onFail: () => void) {
    this.#worker = new Worker(SCRIPT, { eval: true, execArgv: [] });
    this.#worker.on("message", (out: Uint8Array) => {
      const batch = this.#sent.shift() ?? [];
      batch.forEach((a, i) => {
        a.resolve(out[i] === 1);
      });
      if (this.#sent.length === 0) this.#worker.unref();
    });
    const fail = () => {
      onFail();
      // Whatever was asked is verified here instead: same answers, only slower.
      for (const a of [...this.#sent.splice(0).flat(), ...this.#next.splice(0)])
        a.resolve(ed25519.verify(...a.args));
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", fail);
    this.#worker.unref();
  }

  verify(args: Args): Promise<boolean> {
    return new Promise((resolve) => {
      this.#next.push({ args, resolve });
      if (this.#scheduled) return;
      this.#scheduled = true;
      // After this turn's I/O: every verification asked for in it goes in one message.
      setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#next;
    if (batch.length === 0) return;
    this.#next = [];
    if (this.#sent.length === 0) this.#worker.ref();
    this.#sent.push(batch);
    this.#worker.postMessage(batch.map((a) => a.args));
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}

const thread = new LazyThread((forget) => new VerifyThread(forget));

/** ed25519.verify, strict RFC 8032 alike, with OpenSSL's part on the verifying thread. */
export function verifyEd25519OffThread(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): Promise<boolean> {
  try {
    if (!strictPrecheck(signature, message, publicKey)) return Promise.resolve(false);
  } catch (e) {
    return Promise.reject(e);
  }
  const t = thread.get();
  if (!t) return Promise.resolve(ed25519.verify(signature, message, publicKey));
  // Copies: a view would carry its whole underlying buffer to the other thread.
  return t.verify([signature.slice(), message.slice(), publicKey.slice()]);
}

/** Stops the verifying thread (tests; it never keeps a process alive). */
export function stopVerifyThread(): Promise<void> {
  return thread.stop();
}
