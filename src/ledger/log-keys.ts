/** A checkpoint body (c2sp.org/tlog-checkpoint): what the log signs. */
export interface CheckpointBody {
  origin: string;
  size: number;
  root: Uint8Array;
}

/**
 * What the ledger needs from the log key: sign a checkpoint into a signed
 * note, and open (verify and parse) one it signed earlier. Implemented in
 * service/ over crypto/ so the ledger never handles key material.
 */
export interface LogKey {
  readonly origin: string;
  /** The note verifier key string, `name+keyid+base64(0x01||pub)`. */
  readonly verifierKey: string;
  signCheckpoint(cp: CheckpointBody): string;
  /** Ed25519 signature by the log key over `data` (docking answers, DESIGN §5); hex. */
  signBytes(data: Uint8Array): string;
  /** Verifies the log's signature; throws VerificationError if it does not verify. */
  openCheckpoint(note: string): CheckpointBody;
}
