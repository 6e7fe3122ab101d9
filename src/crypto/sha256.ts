import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { assertBytes, toHex, utf8 } from "../core/bytes.js";
import { nodeCrypto } from "./native.js";

/** Portable SHA-256 (FIPS 180-4), pure JS. */
export function sha256Portable(data: Uint8Array): Uint8Array {
  return nobleSha256(assertBytes(data, undefined, "sha256 input"));
}

/** Native SHA-256 via OpenSSL; undefined outside Node. */
const nc = nodeCrypto;
// crypto.hash() (Node >= 20.12) is one-shot: no Hash object to allocate and
// finalise. Asking for a "binary" (latin1) string rather than a Buffer avoids an
// off-heap allocation per digest, which under load costs more than the hash
// itself (measured 4-5x for Merkle-sized inputs); the copy into an on-heap
// 32-byte array is cheap.
const oneShot = nc && typeof nc.hash === "function" ? nc.hash : undefined;
export const sha256Native: ((data: Uint8Array) => Uint8Array) | undefined = nc
  ? oneShot
    ? (data) => {
        const s = oneShot("sha256", data, "binary");
        const out = new Uint8Array(32);
        for (let i = 0; i < 32; i++) out[i] = s.charCodeAt(i);
        return out;
      }
    : (data) => {
        const d = nc.createHash("sha256").update(data).digest();
        return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
      }
  : undefined;

/** SHA-256 of `data`, native where available. */
export const sha256: (data: Uint8Array) => Uint8Array = sha256Native ?? sha256Portable;

/** Hex SHA-256 of a text's UTF-8 bytes: one native call where available (a bearer token on every request). */
export const sha256HexOfText: (text: string) => string = oneShot
  ? (text) => oneShot("sha256", text, "hex")
  : (text) => toHex(sha256(utf8(text)));

/** Incremental SHA-256 for data that arrives in pieces (files, uploads). */
export interface Sha256Stream {
  update(chunk: Uint8Array): Sha256Stream;
  digest(): Uint8Array;
}

export function createSha256(): Sha256Stream {
  if (nodeCrypto) {
    const h = nodeCrypto.createHash("sha256");
    const s: Sha256Stream = {
      update(chunk) {
        h.update(chunk);
        return s;
      },
      digest() {
        const d = h.digest();
        return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
      },
    };
    return s;
  }
  const h = nobleSha256.create();
  const s: Sha256Stream = {
    update(chunk) {
      h.update(chunk);
      return s;
    },
    digest: () => h.digest(),
  };
  return s;
}

/** Hashes a stream of chunks without holding more than one chunk in memory. */
export async function sha256Stream(
  chunks: AsyncIterable<Uint8Array>,
  onProgress?: (bytes: number) => void,
): Promise<{ digest: Uint8Array; size: number }> {
  const h = createSha256();
  let size = 0;
  for await (const chunk of chunks) {
    h.update(chunk);
    size += chunk.length;
    onProgress?.(size);
  }
  return { digest: h.digest(), size };
}
