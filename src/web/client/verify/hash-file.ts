import { toHex } from "../../../core/bytes.js";
import { createSha256 } from "../../../crypto/sha256.js";
import type { HashMessage, HashRequest } from "./hash-worker.js";

/** Set by scripts/build-web.mjs: the worker's hashed asset URL. */
declare const __HASH_WORKER_URL__: string;

export interface FileDigest {
  sha256: string;
  size: number;
  /** Which hasher ran: the streaming WebAssembly worker, or the pure-JS fallback. */
  hasher: "wasm-worker" | "js";
  ms: number;
}

const SLICE = 4 * 1024 * 1024;

/** Pure-JS fallback (where workers or WebAssembly are unavailable): still streamed, slice by slice. */
async function hashInPage(file: Blob, onProgress: (bytes: number) => void): Promise<FileDigest> {
  const started = performance.now();
  const h = createSha256();
  for (let offset = 0; offset < file.size; offset += SLICE) {
    h.update(new Uint8Array(await file.slice(offset, offset + SLICE).arrayBuffer()));
    onProgress(Math.min(file.size, offset + SLICE));
  }
  return { sha256: toHex(h.digest()), size: file.size, hasher: "js", ms: performance.now() - started };
}

function hashInWorker(file: Blob, onProgress: (bytes: number) => void): Promise<FileDigest> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__HASH_WORKER_URL__);
    const done = () => worker.terminate();
    worker.addEventListener("message", (e: MessageEvent<HashMessage>) => {
      const m = e.data;
      if (m.type === "progress") onProgress(m.bytes);
      else if (m.type === "done") {
        done();
        resolve({ sha256: m.sha256, size: m.size, hasher: "wasm-worker", ms: m.ms });
      } else {
        done();
        reject(new Error(m.message));
      }
    });
    worker.addEventListener("error", (e) => {
      done();
      reject(new Error(e.message || "the hashing worker failed to start"));
    });
    worker.postMessage({ file } satisfies HashRequest);
  });
}

/**
 * SHA-256 of a file, computed here and never uploaded. A file that cannot be
 * read at all (removed, permission) rejects; a worker that cannot start
 * falls back to hashing in the page.
 */
export async function hashFile(file: Blob, onProgress: (bytes: number) => void): Promise<FileDigest> {
  if (typeof Worker === "function" && typeof WebAssembly === "object") {
    try {
      return await hashInWorker(file, onProgress);
    } catch (e) {
      if (/shorter|changed size/.test((e as Error).message)) throw e;
    }
  }
  return hashInPage(file, onProgress);
}
