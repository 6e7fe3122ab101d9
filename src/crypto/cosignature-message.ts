import { concatBytes, readU64be, u64be, utf8 } from "../core/bytes.js";
import { ValidationError } from "../core/errors.js";

/**
 * The byte-level pieces of Ed25519 witness cosignatures, c2sp.org/tlog-cosignature
 * v1.0.1 (signature type 0x04). Kept apart from `cosignature.ts` so that
 * `note-keys.ts` can build type 0x04 signers and verifiers without an import cycle.
 */

/** §"Ed25519 signed message": the fixed header line, including its newline. */
export const COSIGNATURE_V1_HEADER = "cosignature/v1\n";

/** Length of a `timestamped_signature` for Ed25519: u64 timestamp || 64-byte signature (§Format). */
export const TIMESTAMPED_SIGNATURE_LENGTH = 72;

export interface TimestampedSignature {
  /** POSIX seconds; limited to safe integers (the spec caps it at 2^63 - 1). */
  timestamp: number;
  signature: Uint8Array;
}

function assertTimestamp(timestamp: number): number {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new ValidationError(
      "INVALID_ARGUMENT",
      "cosignature timestamp must be a non-negative safe integer",
    );
  }
  return timestamp;
}

/**
 * The signed message, §"Ed25519 signed message": `cosignature/v1\n`,
 * `time <t>\n` (decimal, no leading zeroes), then the cosigned checkpoint's
 * note text including its final newline.
 */
export function cosignatureMessage(checkpointText: Uint8Array, timestamp: number): Uint8Array {
  const header = utf8(`${COSIGNATURE_V1_HEADER}time ${assertTimestamp(timestamp)}\n`);
  return concatBytes(header, checkpointText);
}

/** `timestamped_signature` (§Format): big-endian u64 timestamp, then the Ed25519 signature. */
export function encodeTimestampedSignature(timestamp: number, signature: Uint8Array): Uint8Array {
  if (signature.length !== 64)
    throw new ValidationError("INVALID_ARGUMENT", "Ed25519 signature must be 64 bytes");
  return concatBytes(u64be(assertTimestamp(timestamp)), signature);
}

/** Splits a `timestamped_signature`; undefined when the length or timestamp is out of range. */
export function decodeTimestampedSignature(bytes: Uint8Array): TimestampedSignature | undefined {
  if (bytes.length !== TIMESTAMPED_SIGNATURE_LENGTH) return undefined;
  let timestamp: number;
  try {
    timestamp = readU64be(bytes, 0);
  } catch {
    return undefined; // beyond Number.MAX_SAFE_INTEGER (and so possibly beyond 2^63 - 1)
  }
  return { timestamp, signature: bytes.subarray(8) };
}
