/**
 * Hashes a File off the main thread, streamed: WebCrypto's digest() needs the
 * whole file in one buffer, which a multi-GB video would not fit, so the
 * SHA-256 is the WebAssembly one (wasm-sha256.ts). The file is read through
 * a BYOB reader into two large buffers in turn (measured: about three times
 * the throughput of slice().arrayBuffer() or the default reader in Chromium),
 * the next read running while the current buffer is hashed. Memory stays at
 * two buffers whatever the file's size.
 */
import { createWasmSha256, type StreamingSha256 } from "./wasm-sha256.js";

export type HashRequest = { file: Blob; chunkBytes?: number };
export type HashMessage =
  | { type: "progress"; bytes: number }
  | { type: "done"; sha256: string; size: number; ms: number }
  | { type: "error"; message: string };

const DEFAULT_CHUNK = 8 * 1024 * 1024;
const post = (m: HashMessage) => postMessage(m);

async function readByob(file: Blob, chunk: number, h: StreamingSha256): Promise<number> {
  const reader = file.stream().getReader({ mode: "byob" });
  const buffers = [new ArrayBuffer(chunk), new ArrayBuffer(chunk)];
  let which = 0;
  let size = 0;
  let next = reader.read(new Uint8Array(buffers[which] as ArrayBuffer));
  for (;;) {
    const { done, value } = await next;
    if (done || !value) return size;
    buffers[which] = value.buffer; // the reader hands the (transferred) buffer back
    which ^= 1;
    next = reader.read(new Uint8Array(buffers[which] as ArrayBuffer));
    h.update(value);
    size += value.length;
    post({ type: "progress", bytes: size });
  }
}

/** Where byte streams are missing (older engines): slices, the next one read while this one is hashed. */
async function readSlices(file: Blob, chunk: number, h: StreamingSha256): Promise<number> {
  let offset = 0;
  let next = file.slice(0, chunk).arrayBuffer();
  while (offset < file.size) {
    const buf = await next;
    if (buf.byteLength === 0) throw new Error("the file became shorter while it was read");
    const end = offset + buf.byteLength;
    if (end < file.size) next = file.slice(end, end + chunk).arrayBuffer();
    h.update(new Uint8Array(buf));
    offset = end;
    post({ type: "progress", bytes: offset });
  }
  return offset;
}

function byobSupported(): boolean {
  try {
    new Blob([]).stream().getReader({ mode: "byob" }).releaseLock();
    return true;
  } catch {
    return false;
  }
}

async function hash({ file, chunkBytes = DEFAULT_CHUNK }: HashRequest): Promise<void> {
  const started = performance.now();
  const h = await createWasmSha256();
  const size = byobSupported() ? await readByob(file, chunkBytes, h) : await readSlices(file, chunkBytes, h);
  if (size !== file.size) throw new Error("the file changed size while it was read");
  post({ type: "done", sha256: h.digestHex(), size, ms: performance.now() - started });
}

addEventListener("message", (e: MessageEvent<HashRequest>) => {
  hash(e.data).catch((err: unknown) =>
    post({ type: "error", message: String((err as Error)?.message ?? err) }),
  );
});
