/**
 * The signing port of the PDF layer: whoever holds the service's ECDSA P-256
 * key implements it (a key in memory, a file, an HSM), so key handling stays
 * outside src/pdf. `sign` returns the DER ECDSA-Sig-Value (RFC 5480 §2.2,
 * RFC 5758 §3.2) over SHA-256 of `data`.
 */
import { p256 } from "@noble/curves/nist.js";
import { assertBytes } from "../core/bytes.js";

export interface PdfSigner {
  /** The signer's X.509 certificate, DER. */
  certificateDer: Uint8Array;
  /** DER ECDSA signature over SHA-256(data). */
  sign(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/**
 * A signer over a raw P-256 secret scalar. Signatures are deterministic
 * (RFC 6979 nonces, low-S), so sealing the same input twice yields the same file.
 */
export function createP256Signer(secretKey: Uint8Array, certificateDer: Uint8Array): PdfSigner {
  const sk = Uint8Array.from(assertBytes(secretKey, 32, "P-256 secret key"));
  return {
    certificateDer,
    sign: (data) => p256.sign(data, sk, { prehash: true, format: "der", lowS: true, extraEntropy: false }),
  };
}
